package org.tidepool.clinic.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tidepool.clinic.mail.MailTestSupport.await;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The template folders and the index agree, so a new template cannot be forgotten in either. */
@ExtendWith(VertxExtension.class)
class MailTemplatesTest {

  @Test
  void everyTemplateFolderIsListedInTheIndexWithAllItsParts(Vertx vertx) throws Exception {
    Set<String> listed = await(MailTemplates.load(vertx)).names();
    Path root = Path.of(getClass().getClassLoader().getResource(MailTemplates.ROOT).toURI());

    Set<String> folders;
    try (Stream<Path> entries = Files.list(root)) {
      folders = entries.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).collect(Collectors.toSet());
    }
    assertEquals(folders, listed);
    assertTrue(listed.containsAll(Set.of("clinic_created", "clinician_permissions_updated")), "the templates the worker sends");
    for (String name : listed) {
      for (String part : MailTemplates.PARTS) {
        Path file = root.resolve(name).resolve(part + ".hbs");
        assertTrue(Files.isRegularFile(file), file + " exists");
        // the engine decodes templates in the platform charset
        assertTrue(StandardCharsets.US_ASCII.newEncoder().canEncode(Files.readString(file)), file + " is ASCII");
      }
    }
  }

  @Test
  void rendersTheSubjectOnOneLine(Vertx vertx) throws Exception {
    RenderedMail mail = await(await(MailTemplates.load(vertx)).render("request_dexcom_connect",
        new io.vertx.core.json.JsonObject().put("ClinicName", "North\nClinic")));

    assertEquals("North Clinic Follow Up - Connect your Dexcom Account to Tidepool", mail.subject());
  }
}
