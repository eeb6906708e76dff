package org.tidepool.clinic.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tidepool.clinic.api.auth.TestTokens;
import org.tidepool.clinic.mail.MailConfig;

/**
 * Issue 5: the service as a child JVM is killed for real ({@code kill -9}) at a random moment
 * while several clients create clinics, invite clinicians and promote them, then restarted on the
 * same DATA_DIR, over several rounds. Afterwards every acknowledged write is there, every surviving
 * clinic and role change was mailed, nothing was mailed for what did not survive, and the only
 * second copies of a mail are re-sends of the same message (same Message-ID), from a crash between
 * the SMTP server's acceptance and the mail log record.
 *
 * <p>The kill moments come from a seed printed in the summary; {@code -Dcrash.seed=N} repeats a run.
 */
class CrashTest {
  private static final int ROUNDS = 3;
  private static final int CLIENTS = 6;
  private static final long MAIL_WAIT_MS = 60_000;

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static ServiceProcess service;
  private static WriteLoad load;
  private static ClinicHttp http;
  private static final List<Long> restartToReadyMs = new ArrayList<>();
  private static final List<Long> restartToFirstMailMs = new ArrayList<>();
  private static long coldReadyMs;
  private static long seed;

  @BeforeAll
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  static void killTheServiceUnderLoadSeveralTimes() throws Exception {
    vertx = Vertx.vertx();
    seed = Long.getLong("crash.seed", System.nanoTime());
    Random random = new Random(seed);
    load = new WriteLoad(TestTokens.withSecret(vertx, ServiceProcess.JWT_SECRET), CLIENTS);
    service = new ServiceProcess(dir.resolve("data"), Path.of("target", "crash-test", "rounds"), Map.of());
    http = new ClinicHttp(service.httpPort());

    long started = System.currentTimeMillis();
    service.start();
    service.awaitReady();
    coldReadyMs = System.currentTimeMillis() - started;
    for (int round = 1; round <= ROUNDS; round++) {
      writeUntilKilled(random, 1_000 + random.nextInt(2_500));
      restartAndTime();
    }
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  /** Every client writes until the process is killed under it. */
  private static void writeUntilKilled(Random random, long killAfterMs) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    AtomicBoolean running = new AtomicBoolean(true);
    List<Future<?>> done = new ArrayList<>();
    for (int client = 0; client < CLIENTS; client++) {
      int id = client;
      Random own = new Random(random.nextLong());
      done.add(clients.submit(() -> load.runClient(id, http, own, running::get)));
    }
    Thread.sleep(killAfterMs);
    service.kill();
    running.set(false);
    for (Future<?> client : done) {
      client.get(60, TimeUnit.SECONDS);
    }
    clients.shutdown();
  }

  /** Restart on the same DATA_DIR; time until ready, and until the first mail of the new process. */
  private static void restartAndTime() {
    long started = System.currentTimeMillis();
    service.start();
    service.awaitReady();
    restartToReadyMs.add(System.currentTimeMillis() - started);
    // one more clinic, so there is always a mail to wait for
    assertThat(load.createProbe(http)).as("the probe clinic after a restart").isNotNull();
    MailFolder mail = new MailFolder(service.mailDir());
    long deadline = started + MAIL_WAIT_MS;
    long first;
    while ((first = mail.firstMailSince(started)) < 0 && System.currentTimeMillis() < deadline) {
      ServiceProcess.sleep(50);
    }
    assertThat(first).as("a mail after the restart").isPositive();
    restartToFirstMailMs.add(first - started);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void nothingAcknowledgedIsLostAndEveryEmailMatchesWhatSurvived() throws IOException {
    String server = load.serverToken();
    List<String> lost = new ArrayList<>();
    for (WriteLoad.Clinic clinic : load.acknowledgedClinics) {
      if (http.getClinic(server, clinic.id()).status() != 200) {
        lost.add("clinic " + clinic.name());
      }
    }
    for (WriteLoad.Member member : load.acknowledgedMembers) {
      if (http.getClinician(server, member.clinicId(), member.userId()).status() != 200) {
        lost.add("clinician " + member.email());
      }
    }
    for (WriteLoad.Member member : load.acknowledgedPromotions) {
      if (!roles(server, member.clinicId(), member.userId()).contains("CLINIC_ADMIN")) {
        lost.add("promotion of " + member.email());
      }
    }

    Set<String> survivingClinics = survivingClinicNames(server);
    Set<String> expected = new HashSet<>();
    for (String name : survivingClinics) {
      expected.add("clinic_created | " + name + " | " + load.creatorOf(name).email());
    }
    Set<String> promoted = new HashSet<>();
    for (WriteLoad.Member member : load.attemptedMembers) {
      if (roles(server, member.clinicId(), member.userId()).contains("CLINIC_ADMIN")) {
        expected.add("clinician_permissions_updated | " + member.clinicName() + " | " + member.email());
        promoted.add(member.email());
      }
    }

    MailFolder folder = new MailFolder(service.mailDir());
    List<MailFolder.Mail> mails = folder.read();
    long deadline = System.currentTimeMillis() + MAIL_WAIT_MS;
    while (!subjects(mails).containsAll(expected) && System.currentTimeMillis() < deadline) {
      ServiceProcess.sleep(250);
      mails = folder.read();
    }
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(subjects(mails));
    List<MailFolder.Mail> ghosts = mails.stream().filter(mail -> switch (mail.template()) {
      case "clinic_created" -> !survivingClinics.contains(mail.clinicName());
      case "clinician_permissions_updated" -> !promoted.contains(mail.recipient());
      default -> true;
    }).toList();
    Map<String, Long> copiesById = mails.stream().collect(Collectors.groupingBy(MailFolder.Mail::messageId, Collectors.counting()));
    long duplicates = copiesById.values().stream().mapToLong(copies -> copies - 1).sum();
    Map<String, Set<String>> idsBySubject = new HashMap<>();
    mails.forEach(mail -> idsBySubject.computeIfAbsent(mail.subject(), s -> new HashSet<>()).add(mail.messageId()));
    List<String> unexplainedCopies = idsBySubject.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();

    String summary = String.format(
        "CRASH SUMMARY seed=%d kills=%d acknowledged writes=%d (clinics %d, clinicians %d, promotions %d) lost=%d "
            + "duplicate emails=%d ghost emails=%d missing emails=%d mails=%d cold ready ms=%d restart-to-ready ms=%s "
            + "restart-to-first-email ms=%s",
        seed, ROUNDS, load.acknowledgedWrites(), load.acknowledgedClinics.size(), load.acknowledgedMembers.size(),
        load.acknowledgedPromotions.size(), lost.size(), duplicates, ghosts.size(), missing.size(), mails.size(), coldReadyMs,
        restartToReadyMs, restartToFirstMailMs);
    System.out.println(summary);
    Files.createDirectories(Path.of("target", "crash-test"));
    Files.writeString(Path.of("target", "crash-test", "summary.txt"), summary + System.lineSeparator());

    assertThat(load.acknowledgedWrites()).as("writes acknowledged during the rounds").isGreaterThanOrEqualTo(ROUNDS * 3);
    assertThat(lost).as("acknowledged writes gone after a crash").isEmpty();
    assertThat(missing).as("surviving clinics and role changes without their mail").isEmpty();
    assertThat(ghosts).as("mails for clinics or role changes that do not exist").isEmpty();
    assertThat(unexplainedCopies).as("one mail sent twice under different Message-IDs (two events for one change)").isEmpty();
    // a kill cuts at most the sends in flight (one per SMTP connection) short of their mail-log record
    assertThat(duplicates).as("second copies of a mail (same Message-ID)")
        .isLessThanOrEqualTo((long) ROUNDS * MailConfig.MAX_CONCURRENT_SENDS);
  }

  /**
   * Depends on issue 5 part 2 (multi-write operations complete or vanish after a crash):
   * CreateClinic writes the clinic, then its creator as admin, and a kill between the two leaves
   * a clinic without its admin until that work lands.
   */
  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void everySurvivingClinicHasItsCreatorAsAdmin_needsCrashSafeMultiWriteOperations() {
    String server = load.serverToken();
    List<String> withoutCreator = new ArrayList<>();
    for (String name : survivingClinicNames(server)) {
      WriteLoad.Creator creator = load.creatorOf(name);
      String clinicId = clinicIdsByName(server).get(name);
      if (!roles(server, clinicId, creator.userId()).contains("CLINIC_ADMIN")) {
        withoutCreator.add(name);
      }
    }
    assertThat(withoutCreator).as("surviving clinics whose creator is not their admin").isEmpty();
  }

  private static Set<String> subjects(List<MailFolder.Mail> mails) {
    return mails.stream().map(MailFolder.Mail::subject).collect(Collectors.toSet());
  }

  private static Set<String> survivingClinicNames(String server) {
    return clinicIdsByName(server).keySet();
  }

  private static Map<String, String> clinicIdsByName(String server) {
    ClinicHttp.Answer answer = http.listClinics(server);
    assertThat(answer.status()).as("ListClinics: %s", answer.body()).isEqualTo(200);
    Map<String, String> ids = new HashMap<>();
    new JsonArray(answer.body()).forEach(o -> ids.put(((JsonObject) o).getString("name"), ((JsonObject) o).getString("id")));
    return ids;
  }

  private static List<String> roles(String server, String clinicId, String userId) {
    ClinicHttp.Answer answer = http.getClinician(server, clinicId, userId);
    if (answer.status() != 200) {
      return List.of();
    }
    return answer.json().getJsonArray("roles", new JsonArray()).stream().map(String::valueOf).toList();
  }
}
