package org.tidepool.clinic.mail;

import com.github.jknack.handlebars.EscapingStrategy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.common.template.TemplateEngine;
import io.vertx.ext.web.templ.handlebars.HandlebarsTemplateEngine;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The mail templates on the classpath under {@value #ROOT}: one folder per template with
 * {@code subject.hbs}, {@code text.hbs} and {@code html.hbs}, listed in {@value #INDEX}.
 * A file of the same path under the working directory takes precedence (Vert.x file resolution).
 */
final class MailTemplates {
  static final String ROOT = "templates/mail";
  static final String INDEX = ROOT + "/index.txt";
  static final List<String> PARTS = List.of("subject", "text", "html");

  private final Vertx vertx;
  private final Set<String> names;
  private final TemplateEngine htmlEngine;
  private final TemplateEngine plainEngine;

  private MailTemplates(Vertx vertx, Set<String> names) {
    this.vertx = vertx;
    this.names = names;
    this.htmlEngine = HandlebarsTemplateEngine.create(vertx);
    HandlebarsTemplateEngine plain = HandlebarsTemplateEngine.create(vertx);
    // subject and text are not HTML: "Smith & Co" must stay as written there
    plain.unwrap().with(EscapingStrategy.NOOP);
    this.plainEngine = plain;
  }

  /** Reads the index and compiles every listed template, so a broken template stops start-up. */
  static Future<MailTemplates> load(Vertx vertx) {
    return vertx.fileSystem().readFile(INDEX)
        .recover(e -> Future.failedFuture(new IllegalStateException("mail template index " + INDEX + " is missing", e)))
        .map(MailTemplates::parseIndex)
        .map(names -> new MailTemplates(vertx, names))
        .compose(templates -> templates.compileAll().map(templates));
  }

  Set<String> names() {
    return names;
  }

  boolean exists(String name) {
    return names.contains(name);
  }

  Future<RenderedMail> render(String name, JsonObject variables) {
    Future<String> subject = renderPart(name, "subject", variables);
    Future<String> text = renderPart(name, "text", variables);
    Future<String> html = renderPart(name, "html", variables);
    return Future.all(subject, text, html)
        .map(done -> new RenderedMail(oneLine(subject.result()), text.result(), html.result()));
  }

  private Future<Void> compileAll() {
    List<Future<String>> parts = new ArrayList<>();
    for (String name : names) {
      for (String part : PARTS) {
        parts.add(renderPart(name, part, new JsonObject())
            .recover(e -> Future.failedFuture(new IllegalStateException(
                "mail template " + path(name, part) + ".hbs cannot be loaded: " + e.getMessage(), e))));
      }
    }
    return Future.all(parts).mapEmpty();
  }

  // The engine reads template files with blocking calls (on first use, and on every use when
  // VERTXWEB_ENVIRONMENT=dev disables its cache), so rendering runs on a worker thread.
  private Future<String> renderPart(String name, String part, JsonObject variables) {
    TemplateEngine engine = part.equals("html") ? htmlEngine : plainEngine;
    return vertx.executeBlocking(() -> engine.render(variables, path(name, part)))
        .compose(Function.identity())
        .map(Buffer::toString);
  }

  private static String path(String name, String part) {
    return ROOT + "/" + name + "/" + part;
  }

  private static String oneLine(String subject) {
    return subject.strip().replaceAll("\\s+", " ");
  }

  private static Set<String> parseIndex(Buffer index) {
    Set<String> names = new LinkedHashSet<>();
    for (String line : index.toString().split("\\R")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      if (!name.matches("[a-z0-9_]+")) {
        throw new IllegalStateException("mail template index " + INDEX + ": '" + name + "' is not a template name (a-z, 0-9, _)");
      }
      names.add(name);
    }
    return Set.copyOf(names);
  }
}
