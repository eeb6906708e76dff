package org.tidepool.clinic.api;

import io.vertx.config.yaml.YamlProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The contract for machines ({@code /v1/openapi.yaml}, {@code /v1/openapi.json}) and for people
 * ({@code /v1/docs}: Swagger UI from its WebJar, so the page needs no outside network).
 * Unauthenticated, as the contract is public.
 */
final class ContractRoutes {
  static final String YAML = "/v1/openapi.yaml";
  static final String JSON = "/v1/openapi.json";
  static final String DOCS = "/v1/docs";
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";

  private final Buffer yaml;
  private final Buffer json;
  private final Buffer page;

  private ContractRoutes(Buffer yaml, Buffer json, Buffer page) {
    this.yaml = yaml;
    this.json = json;
    this.page = page;
  }

  /** The contract file as it is, the same as JSON, and the page (read off the event loop). */
  static Future<ContractRoutes> load(Vertx vertx) {
    return vertx.executeBlocking(() -> resource(ApiVerticle.CONTRACT))
        .compose(yaml -> new YamlProcessor().process(vertx, null, yaml)
            .map(json -> new ContractRoutes(yaml, json.toBuffer(), resource("apidocs/index.html"))));
  }

  void mount(Router router) {
    router.get(YAML).handler(AccessLog.route(YAML, null)).handler(rc -> send(rc, "application/yaml; charset=utf-8", yaml));
    router.get(JSON).handler(AccessLog.route(JSON, null)).handler(rc -> send(rc, "application/json", json));
    router.get(DOCS).handler(AccessLog.route(DOCS, null)).handler(rc -> send(rc, "text/html; charset=utf-8", page));
    router.get(DOCS + "/*").handler(AccessLog.route(DOCS + "/*", null))
        .handler(StaticHandler.create(WEBJAR + swaggerUiVersion()).setCachingEnabled(true));
  }

  private static void send(RoutingContext rc, String contentType, Buffer body) {
    rc.response().putHeader("Content-Type", contentType).end(body);
  }

  /** The WebJar's files sit under its version; its Maven properties name it. */
  private static String swaggerUiVersion() {
    Properties properties = new Properties();
    try (InputStream in = ContractRoutes.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the swagger-ui WebJar is not on the classpath");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  private static Buffer resource(String name) {
    try (InputStream in = ContractRoutes.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
