package org.tidepool.clinic.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.Set;
import java.util.TreeSet;

/** Checks answers of the running service against the contract's responses for the operation. */
final class DeclaredResponses {
  private final OpenAPIContract contract;
  private final ResponseValidator validator;
  private final Set<String> checkedOperations = new TreeSet<>();

  DeclaredResponses(Vertx vertx) {
    this.contract = OpenAPIContract.from(vertx, ApiVerticle.CONTRACT).await();
    this.validator = ResponseValidator.create(vertx, contract);
  }

  /** Fails unless the operation at method + uri declares the response's status and body. */
  HttpResponse<Buffer> check(HttpMethod method, String uri, HttpResponse<Buffer> response) {
    Operation operation = contract.findOperation(uri.replaceFirst("\\?.*", ""), method);
    assertThat(operation).as(method + " " + uri).isNotNull();
    ValidatableResponse validatable = response.body() == null || response.body().length() == 0
        ? ValidatableResponse.create(response.statusCode())
        : ValidatableResponse.create(response.statusCode(), response.body(), response.getHeader("Content-Type"));
    try {
      validator.validate(validatable, operation.getOperationId()).await();
    } catch (RuntimeException undeclared) {
      throw new AssertionError(operation.getOperationId() + " answered " + response.statusCode() + " "
          + response.bodyAsString() + ", which the contract does not declare: " + undeclared.getMessage(), undeclared);
    }
    checkedOperations.add(operation.getOperationId());
    return response;
  }

  Set<String> checkedOperations() {
    return checkedOperations;
  }

  Set<String> allOperations() {
    Set<String> all = new TreeSet<>();
    contract.operations().forEach(operation -> all.add(operation.getOperationId()));
    return all;
  }
}
