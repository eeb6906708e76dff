package org.tidepool.clinic.platform;

/** A Tidepool account as the clinic service needs it: id, first email, profile full name. */
public record User(String id, String email, String fullName) {}
