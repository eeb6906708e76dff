package org.tidepool.clinic.patients;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a clinic may do with a patient's account: {@code custodian}, {@code view}, {@code upload}, {@code note}. */
public final class Permissions {
  public static final String CUSTODIAN = "custodian";
  public static final String VIEW = "view";
  public static final String UPLOAD = "upload";
  public static final String NOTE = "note";
  public static final List<String> ALL = List.of(CUSTODIAN, VIEW, UPLOAD, NOTE);

  private Permissions() {}

  /** Every permission: a clinic-created (custodial) account. */
  public static Set<String> custodial() {
    return new LinkedHashSet<>(ALL);
  }

  /** The known permissions of {@code names}, in the canonical order. */
  public static Set<String> of(Iterable<String> names) {
    Set<String> given = new LinkedHashSet<>();
    names.forEach(given::add);
    Set<String> ordered = new LinkedHashSet<>();
    ALL.stream().filter(given::contains).forEach(ordered::add);
    return ordered;
  }
}
