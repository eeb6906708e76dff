package org.tidepool.clinic;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tidepool.clinic.common.ServiceError;
import org.tidepool.clinic.platform.LegacyAccountImport;
import org.tidepool.clinic.platform.LegacyAccountImport.LegacyAccount;
import org.tidepool.clinic.platform.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code import-legacy --file <json>}: a legacy clinic account with its patients and their
 * direct shares into the embedded platform database of the service ({@link LegacyAccountImport};
 * the file's format is in the README), so that a stand-alone deployment can migrate it.
 */
@Command(name = "import-legacy", mixinStandardHelpOptions = true,
    description = "Import a legacy clinic account, its patients and their shares (embedded platform only) from a JSON file")
final class LegacyImportCommand implements Callable<Integer> {
  @Option(names = "--file", required = true, paramLabel = "JSON", description = "the account's file (README: Migrating a legacy clinic account)")
  Path file;

  @Override
  public Integer call() throws Exception {
    LegacyAccount account;
    try {
      account = LegacyAccountImport.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      System.err.println("import-legacy: cannot read " + file + ": " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      System.err.println("import-legacy: " + file + ": " + e.getMessage());
      return 2;
    }
    LegacyAccountImport.Imported imported;
    try {
      imported = Main.withSettings((vertx, settings) -> {
        if (Platform.usesTidepoolServices(settings)) {
          return Future.failedFuture(new ServiceError(ServiceError.BAD_REQUEST, "TIDEPOOL_SHORELINE_CLIENT_ADDRESS is set: "
              + "legacy accounts are shoreline's and gatekeeper's there, this imports into the embedded platform only"));
        }
        return ParkedCommand.withDatabase(vertx, settings, "PLATFORM_DATABASE_NAME", true, mongo -> new LegacyAccountImport(mongo).run(account));
      });
    } catch (Exception e) {
      Throwable cause = e.getCause() != null && !(e instanceof ServiceError) ? e.getCause() : e;
      if (cause instanceof ServiceError refused) {
        System.err.println("import-legacy: " + refused.getMessage());
        return 2;
      }
      throw e;
    }
    System.out.println("legacy clinician " + imported.clinicianId() + " " + account.email() + " (role clinic)");
    for (int i = 0; i < imported.patientIds().size(); i++) {
      LegacyAccountImport.LegacyPatient patient = account.patients().get(i);
      System.out.println("patient " + imported.patientIds().get(i) + " " + (patient.email() == null ? "-" : patient.email())
          + " shares " + String.join(",", new java.util.TreeSet<>(patient.permissions())));
    }
    System.out.println("imported " + imported.patientIds().size() + " patient(s) and their shares; "
        + imported.newAccounts() + " new account(s)");
    return 0;
  }
}
