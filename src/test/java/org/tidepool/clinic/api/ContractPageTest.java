package org.tidepool.clinic.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.testing.TestStack;
import org.tidepool.clinic.testing.TestStackExtension;
import org.tidepool.clinic.testing.TestStacks;

/**
 * The contract is served without authentication, as YAML and JSON, and the API reference page
 * (Swagger UI, served by the service itself) shows every operation in a real browser.
 */
@ExtendWith(TestStackExtension.class)
class ContractPageTest {
  /** Debian's package; CI (.ci/run) installs it. */
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  private static final Pattern OPERATION_ID = Pattern.compile("class=\"opblock-summary-operation-id\"[^>]*>([^<]+)<");
  private static TestStack stack;

  @BeforeAll
  static void start(TestStacks stacks) {
    stack = stacks.start(new JsonObject().put("ROLES", "api,store"));
  }

  private static HttpResponse<Buffer> get(String path) {
    return stack.http().get(path).send().await();
  }

  @Test
  void theContractIsServedAsItsFileAndAsJsonWithoutAToken() throws IOException {
    HttpResponse<Buffer> yaml = get("/v1/openapi.yaml");
    assertThat(yaml.statusCode()).isEqualTo(200);
    assertThat(yaml.getHeader("Content-Type")).startsWith("application/yaml");
    try (InputStream file = getClass().getClassLoader().getResourceAsStream(ApiVerticle.CONTRACT)) {
      assertThat(yaml.body().getBytes()).isEqualTo(file.readAllBytes());
    }
    HttpResponse<Buffer> json = get("/v1/openapi.json");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.getHeader("Content-Type")).startsWith("application/json");
    JsonObject contract = json.bodyAsJsonObject();
    assertThat(contract.getString("openapi")).startsWith("3.");
    assertThat(contract.getJsonObject("paths").fieldNames())
        .containsExactlyInAnyOrderElementsOf(ContractDocument.load().operations().stream().map(op -> op.path()).distinct().toList());
  }

  @Test
  void thePageAndItsScriptsComeFromTheServiceItself() {
    HttpResponse<Buffer> page = get("/v1/docs");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("/v1/docs/swagger-ui-bundle.js").contains("/v1/openapi.yaml")
        .doesNotContain("https://");
    assertThat(get("/v1/docs/swagger-ui-bundle.js").statusCode()).isEqualTo(200);
    assertThat(get("/v1/docs/swagger-ui.css").statusCode()).isEqualTo(200);
    assertThat(get("/v1/docs/nothing-here.js").statusCode()).isEqualTo(404);
  }

  @Test
  void aBrowserShowsEveryOperationOfTheContract() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "headless Chromium is not installed at " + CHROMIUM
        + " (apt-get install chromium; .ci/run installs it)");
    List<String> expected = ContractDocument.load().operations().stream().map(op -> op.operationId()).toList();

    String dom = renderedPage("http://127.0.0.1:" + stack.httpPort() + "/v1/docs");

    List<String> shown = new ArrayList<>();
    Matcher matcher = OPERATION_ID.matcher(dom);
    while (matcher.find()) {
      shown.add(matcher.group(1).trim());
    }
    // Swagger UI lists an operation under each of its tags
    assertThat(shown).as("operations on the page").hasSize(placesOnThePage())
        .hasSameElementsAs(expected);
    assertThat(shown.stream().distinct()).as("operations on the page, once each").hasSameSizeAs(expected);
    assertThat(shown).contains("GetClinic", "CreateClinic", "ListClinicians", "CreatePatientAccount", "DeletePatient");
    assertThat(dom).contains("/v1/clinics/{clinicId}/patients/{patientId}");
  }

  /** Each operation once per tag (once when it has none). */
  private static int placesOnThePage() {
    JsonObject paths = get("/v1/openapi.json").bodyAsJsonObject().getJsonObject("paths");
    int places = 0;
    for (String path : paths.fieldNames()) {
      for (String method : List.of("get", "put", "post", "delete", "patch")) {
        JsonObject operation = paths.getJsonObject(path).getJsonObject(method);
        if (operation != null) {
          places += Math.max(1, operation.getJsonArray("tags", new io.vertx.core.json.JsonArray()).size());
        }
      }
    }
    return places;
  }

  /** The DOM once the page's scripts have run (Chromium waits for the contract's fetch in virtual time). */
  private static String renderedPage(String url) throws Exception {
    Path profile = Files.createTempDirectory("chromium-profile");
    Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile,
        "--virtual-time-budget=30000", "--dump-dom", url)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    CompletableFuture<String> dom = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(chromium.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try {
      assertThat(chromium.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
      return dom.get(10, TimeUnit.SECONDS);
    } finally {
      chromium.destroyForcibly();
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
  }
}
