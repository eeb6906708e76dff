package org.tidepool.clinic.api;

import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Says which parameter or body field a request failed validation on, and why. */
final class ValidationMessages {
  private static final int MAX_DETAILS = 5;

  private ValidationMessages() {}

  static String describe(Throwable failure) {
    if (failure == null) {
      // Vert.x Web fails a request without a cause when it cannot decode its path or query
      return "the request URL could not be decoded: check its percent-encoding";
    }
    if (failure instanceof SchemaValidationException schema && schema.getMessage().contains("request body")) {
      List<String> details = new ArrayList<>();
      collect(schema.getOutputUnit(), details);
      if (!details.isEmpty()) {
        return "invalid request body: " + details.stream().distinct().limit(MAX_DETAILS).collect(Collectors.joining("; "));
      }
    }
    if (failure instanceof ValidatorException validation) {
      return validation.getMessage();
    }
    return "invalid request";
  }

  /** Keeps the specific errors; drops the "a subschema had errors" wrappers around them. */
  private static void collect(OutputUnit unit, List<String> details) {
    if (unit == null) {
      return;
    }
    List<OutputUnit> errors = unit.getErrors();
    if (errors == null || errors.isEmpty()) {
      if (unit.getError() != null && !isWrapper(unit.getError())) {
        details.add(location(unit.getInstanceLocation()) + ": " + unit.getError());
      }
      return;
    }
    errors.forEach(error -> collect(error, details));
  }

  private static boolean isWrapper(String error) {
    return error.startsWith("A subschema had errors") || error.endsWith("does not match schema");
  }

  private static String location(String instanceLocation) {
    String pointer = instanceLocation == null ? "" : instanceLocation.replaceFirst("^#", "");
    return pointer.isEmpty() || pointer.equals("/") ? "body" : "body" + pointer;
  }
}
