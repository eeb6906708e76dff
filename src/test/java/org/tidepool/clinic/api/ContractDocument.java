package org.tidepool.clinic.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The contract as its YAML says it, read from the classpath, with its local {@code $ref}s followed on request. */
final class ContractDocument {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  /** One operation: its parameters (resolved) and the schema of its JSON request body, if it has one. */
  record ContractOperation(String operationId, HttpMethod method, String path, List<JsonObject> parameters, JsonObject bodySchema) {
    List<JsonObject> parameters(String in) {
      return parameters.stream().filter(parameter -> in.equals(parameter.getString("in"))).toList();
    }

    @Override
    public String toString() {
      return operationId + " (" + method + " " + path + ")";
    }
  }

  private final JsonObject root;

  private ContractDocument(JsonObject root) {
    this.root = root;
  }

  @SuppressWarnings("unchecked")
  static ContractDocument load() {
    try (InputStream yaml = ContractDocument.class.getClassLoader().getResourceAsStream(ApiVerticle.CONTRACT)) {
      if (yaml == null) {
        throw new IllegalStateException(ApiVerticle.CONTRACT + " is not on the classpath");
      }
      return new ContractDocument(new JsonObject(new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The object a {@code $ref} points at (repeatedly), or the object itself. */
  JsonObject resolve(JsonObject node) {
    JsonObject current = node;
    while (current.containsKey("$ref")) {
      String ref = current.getString("$ref");
      if (!ref.startsWith("#/")) {
        throw new IllegalArgumentException("not a local reference: " + ref);
      }
      Object target = root;
      for (String token : ref.substring(2).split("/")) {
        target = ((JsonObject) target).getValue(token.replace("~1", "/").replace("~0", "~"));
      }
      current = (JsonObject) target;
    }
    return current;
  }

  List<ContractOperation> operations() {
    List<ContractOperation> operations = new ArrayList<>();
    JsonObject paths = root.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject pathItem = paths.getJsonObject(path);
      for (String method : pathItem.fieldNames()) {
        if (!METHODS.contains(method)) {
          continue;
        }
        JsonObject operation = pathItem.getJsonObject(method);
        List<JsonObject> parameters = new ArrayList<>();
        resolvedEach(pathItem.getJsonArray("parameters"), parameters);
        resolvedEach(operation.getJsonArray("parameters"), parameters);
        JsonObject body = operation.getJsonObject("requestBody");
        JsonObject bodySchema = body == null ? null
            : resolve(resolve(body).getJsonObject("content").getJsonObject("application/json").getJsonObject("schema"));
        operations.add(new ContractOperation(operation.getString("operationId"), HttpMethod.valueOf(method.toUpperCase()), path,
            parameters, bodySchema));
      }
    }
    return operations;
  }

  private void resolvedEach(JsonArray nodes, List<JsonObject> into) {
    if (nodes != null) {
      nodes.forEach(node -> into.add(resolve((JsonObject) node)));
    }
  }
}
