package org.tidepool.clinic.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan itself: it finds imports, inline qualified names and constants' classes, and reports circles. */
class PackageDependenciesTest {
  @TempDir
  Path sources;

  private void write(String pkg, String name, String body) throws IOException {
    Path dir = sources.resolve(pkg.replace('.', '/'));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name + ".java"), "package " + pkg + ";\n\n" + body);
  }

  @Test
  void findsACircleThroughAnImportAndAnInlineName() throws IOException {
    write("org.tidepool.clinic.a", "A", "import org.tidepool.clinic.b.B;\nclass A { String s = B.NAME; }\n");
    write("org.tidepool.clinic.b", "B", "class B { static final String NAME = org.tidepool.clinic.a.A.class.getName(); }\n");
    write("org.tidepool.clinic.c", "C", "import static org.tidepool.clinic.a.A.*;\nclass C {}\n");

    PackageDependencies found = PackageDependencies.of(sources);

    assertThat(found.uses.get("c")).containsExactly("a");
    assertThat(found.cycles()).containsExactly(Set.of("a", "b"));
  }

  @Test
  void aLayeredTreeHasNoCircle() throws IOException {
    write("org.tidepool.clinic.top", "Top", "import org.tidepool.clinic.low.Low;\nclass Top {}\n");
    write("org.tidepool.clinic.low", "Low", "import java.util.List;\nclass Low {}\n");

    assertThat(PackageDependencies.of(sources).cycles()).isEmpty();
  }
}
