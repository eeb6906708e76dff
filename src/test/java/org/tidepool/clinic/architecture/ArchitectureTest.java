package org.tidepool.clinic.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/design.md, checked on the main sources: no package cycles; the domain
 * and foundation packages use no verticle package; the foundation uses no domain.
 */
class ArchitectureTest {
  /** Packages of verticles and their wiring: they may use anything below them. */
  static final List<String> VERTICLE_PACKAGES = List.of("api", "store", "cdc", "mail", "migration", "ops", "app");
  /** What every domain builds on; knows no domain. */
  static final Set<String> FOUNDATION = Set.of("operations", "mongo", "common", "intents", "logging");
  static PackageDependencies main;

  @BeforeAll
  static void scan() {
    main = PackageDependencies.of(Path.of("src", "main", "java"));
  }

  private static boolean isVerticlePackage(String name) {
    return VERTICLE_PACKAGES.stream().anyMatch(verticle -> name.equals(verticle) || name.startsWith(verticle + "."));
  }

  /** Domain packages: neither verticle, foundation, nor the process's outer parts (CLI, config, embedded servers, platform ports). */
  private static boolean isDomainPackage(String name) {
    return !name.isEmpty() && !isVerticlePackage(name) && !FOUNDATION.contains(name)
        && !Set.of("config", "infra", "platform").contains(name);
  }

  @Test
  void theScanSeesTheLayers() {
    assertThat(main.uses.get("membership")).contains("clinics", "clinicians", "operations", "mongo");
    assertThat(main.uses.get("store")).contains("operations", "mongo");
    assertThat(main.uses.get("patients")).contains("membership", "clinicians", "clinics", "operations", "mongo", "platform");
    assertThat(main.uses.keySet()).contains("clinics", "clinicians", "membership", "deletions");
    // the patient list sits above the patients domain, whose records and mappers it reads
    assertThat(main.uses.get("patientlist")).contains("patients", "mongo", "operations");
    assertThat(main.uses.get("patients")).doesNotContain("patientlist");
  }

  /** Tags and sites are fields of the clinic and copies on its patients: their domain sits above both. */
  @Test
  void tagsAndSitesSitAbovePatientsAndClinics() {
    assertThat(main.uses.get("patientgroups")).contains("patients", "clinics", "intents");
    main.uses.forEach((name, used) -> {
      if (!isVerticlePackage(name)) {
        assertThat(used).as(name + " uses").doesNotContain("patientgroups");
      }
    });
  }

  @Test
  void noPackagesUseEachOtherInACircle() {
    assertThat(main.cycles()).as("package cycles").isEmpty();
  }

  @Test
  void domainAndFoundationPackagesUseNoVerticlePackage() {
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, Set<String>> entry : main.uses.entrySet()) {
      if (isDomainPackage(entry.getKey()) || FOUNDATION.contains(entry.getKey())) {
        entry.getValue().stream().filter(ArchitectureTest::isVerticlePackage)
            .forEach(used -> violations.add(entry.getKey() + " uses " + used));
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void theFoundationUsesNoDomain() {
    List<String> violations = new ArrayList<>();
    for (String foundation : FOUNDATION) {
      main.uses.getOrDefault(foundation, Set.of()).stream().filter(ArchitectureTest::isDomainPackage)
          .forEach(used -> violations.add(foundation + " uses " + used));
    }
    assertThat(violations).isEmpty();
  }
}
