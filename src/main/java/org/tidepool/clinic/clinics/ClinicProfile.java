package org.tidepool.clinic.clinics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The profile fields of a clinic. In an update, a null field stays as stored; in a stored
 * clinic, null means the document has no such field.
 */
public record ClinicProfile(String name, String address, String city, String postalCode, String state, String country,
                            String clinicType, String clinicSize, String website, String timezone,
                            String preferredBgUnits, List<PhoneNumber> phoneNumbers) {
  /** The text fields, stored and answered under the same names (preferredBgUnits is stored as PreferredBgUnits). */
  public static final List<String> TEXT_FIELDS = List.of("name", "address", "city", "postalCode", "state", "country",
      "clinicType", "clinicSize", "website", "timezone");

  public record PhoneNumber(String type, String number) {}

  /** The text fields and preferredBgUnits by name, nulls included. */
  public Map<String, String> asMap() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("name", name);
    fields.put("address", address);
    fields.put("city", city);
    fields.put("postalCode", postalCode);
    fields.put("state", state);
    fields.put("country", country);
    fields.put("clinicType", clinicType);
    fields.put("clinicSize", clinicSize);
    fields.put("website", website);
    fields.put("timezone", timezone);
    fields.put("preferredBgUnits", preferredBgUnits);
    return fields;
  }

  /** A profile from text fields by name (as {@link #asMap}) and phone numbers. */
  public static ClinicProfile of(Map<String, String> fields, List<PhoneNumber> phoneNumbers) {
    return new ClinicProfile(fields.get("name"), fields.get("address"), fields.get("city"), fields.get("postalCode"),
        fields.get("state"), fields.get("country"), fields.get("clinicType"), fields.get("clinicSize"),
        fields.get("website"), fields.get("timezone"), fields.get("preferredBgUnits"), phoneNumbers);
  }
}
