package org.tidepool.clinic.clinics;

import java.time.Instant;

/** Which clinics a list returns; null fields do not filter. {@code createdBefore} is exclusive. */
public record ClinicFilter(String shareCode, Instant createdFrom, Instant createdBefore, Boolean ehrEnabled) {}
