package org.tidepool.clinic.common;

/** The process-local map the application and the api verticle share (Vert.x local shared data). */
public final class AppState {
  public static final String MAP = "clinic.app";
  /** Boolean, set true by the application once all its verticles are deployed. */
  public static final String DEPLOYED = "deployed";
  /** Integer, the port the api verticle actually listens on (useful with HTTP_PORT=0). */
  public static final String HTTP_PORT = "httpPort";

  private AppState() {}
}
