package org.tidepool.clinic.patientgroups;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.tidepool.clinic.common.ServiceError;

/**
 * The naming rule of tags and sites (rules 27, 28): names are trimmed, and two names are the same
 * when they differ only in case or whitespace.
 */
final class GroupNames {
  private GroupNames() {}

  /** The name as stored: trimmed; 400 naming the field when nothing is left. */
  static String clean(String name) {
    String trimmed = name == null ? "" : name.strip();
    if (trimmed.isEmpty()) {
      throw ServiceError.badRequest("name must not be empty");
    }
    return trimmed;
  }

  /** What two names must not share: lower case, no whitespace. */
  static String key(String name) {
    return name.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
  }

  static boolean taken(String name, Collection<String> names) {
    String key = key(name);
    return names.stream().anyMatch(other -> key(other).equals(key));
  }

  /** {@code name}, or the first of {@code name (2)}, {@code name (3)}, ... that none of {@code names} is. */
  static String free(String name, Collection<String> names) {
    Set<String> keys = names.stream().map(GroupNames::key).collect(Collectors.toSet());
    if (!keys.contains(key(name))) {
      return name;
    }
    int suffix = 2;
    while (keys.contains(key(name + " (" + suffix + ")"))) {
      suffix++;
    }
    return name + " (" + suffix + ")";
  }
}
