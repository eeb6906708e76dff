package org.tidepool.clinic.mail;

/** The three parts of a mail rendered from a template. */
record RenderedMail(String subject, String text, String html) {}
