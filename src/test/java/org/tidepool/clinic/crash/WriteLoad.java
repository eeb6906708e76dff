package org.tidepool.clinic.crash;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.tidepool.clinic.api.auth.DevTokens;

/**
 * Several clients writing at once over HTTP: each creates clinics as its own user, invites
 * clinicians into them with the service token (CreateClinician) and promotes some of them to
 * admin (UpdateClinician). It remembers every write that was attempted, and apart from those the
 * ones that were acknowledged (answered 200): those must survive any crash.
 */
final class WriteLoad {
  record Creator(int client, String userId, String email, String name, String token) {}

  record Clinic(String id, String name, Creator creator) {}

  record Member(String clinicId, String clinicName, String userId, String email, String name) {}

  private final DevTokens tokens;
  private final List<Creator> creators = new ArrayList<>();
  private final AtomicInteger sequence = new AtomicInteger();

  /** Every clinic name attempted, with its creator (acknowledged or not). */
  final ConcurrentHashMap<String, Creator> attemptedClinics = new ConcurrentHashMap<>();
  final List<Clinic> acknowledgedClinics = new CopyOnWriteArrayList<>();
  final List<Member> attemptedMembers = new CopyOnWriteArrayList<>();
  final List<Member> acknowledgedMembers = new CopyOnWriteArrayList<>();
  final List<Member> acknowledgedPromotions = new CopyOnWriteArrayList<>();

  WriteLoad(DevTokens tokens, int clients) {
    this.tokens = tokens;
    for (int i = 0; i <= clients; i++) {
      String userId = UUID.randomUUID().toString();
      String email = "creator" + i + "@crash.test";
      String name = "Creator " + i;
      creators.add(new Creator(i, userId, email, name, tokens.user(userId, email, name)));
    }
  }

  int acknowledgedWrites() {
    return acknowledgedClinics.size() + acknowledgedMembers.size() + acknowledgedPromotions.size();
  }

  String serverToken() {
    return tokens.server();
  }

  /** The creator of a clinic by the name it was given. */
  Creator creatorOf(String clinicName) {
    return attemptedClinics.get(clinicName);
  }

  /** One clinic of the extra creator (index = number of clients), to see mail flowing after a restart. */
  Clinic createProbe(ClinicHttp http) {
    Creator probe = creators.get(creators.size() - 1);
    return createClinic(http, probe);
  }

  /** Runs one client's writes until {@code running} says stop. */
  void runClient(int client, ClinicHttp http, Random random, BooleanSupplier running) {
    Creator creator = creators.get(client);
    List<Clinic> mine = new ArrayList<>();
    List<Member> promotable = new ArrayList<>();
    while (running.getAsBoolean()) {
      double dice = random.nextDouble();
      if (mine.isEmpty() || dice < 0.35) {
        Clinic clinic = createClinic(http, creator);
        if (clinic != null) {
          mine.add(clinic);
        }
      } else if (promotable.isEmpty() || dice < 0.75) {
        Member member = invite(http, mine.get(random.nextInt(mine.size())));
        if (member != null) {
          promotable.add(member);
        }
      } else {
        Member member = promotable.remove(random.nextInt(promotable.size()));
        Clinic clinic = mine.stream().filter(c -> c.id().equals(member.clinicId())).findFirst().orElseThrow();
        promote(http, clinic, member);
      }
    }
  }

  private Clinic createClinic(ClinicHttp http, Creator creator) {
    String name = "Crash c" + creator.client() + " n" + sequence.incrementAndGet();
    attemptedClinics.put(name, creator);
    ClinicHttp.Answer answer = http.createClinic(creator.token(), name);
    if (!answer.ok()) {
      return null;
    }
    Clinic clinic = new Clinic(answer.json().getString("id"), name, creator);
    acknowledgedClinics.add(clinic);
    return clinic;
  }

  private Member invite(ClinicHttp http, Clinic clinic) {
    int n = sequence.incrementAndGet();
    Member member = new Member(clinic.id(), clinic.name(), UUID.randomUUID().toString(), "member" + n + "@crash.test", "Member " + n);
    attemptedMembers.add(member);
    ClinicHttp.Answer answer = http.createClinician(tokens.server(), clinic.id(), member.userId(), member.email(), member.name());
    if (!answer.ok()) {
      return null;
    }
    acknowledgedMembers.add(member);
    return member;
  }

  private void promote(ClinicHttp http, Clinic clinic, Member member) {
    ClinicHttp.Answer answer = http.updateClinicianRoles(clinic.creator().token(), clinic.id(), member.userId(),
        member.email(), member.name(), "CLINIC_ADMIN");
    if (answer.ok()) {
      acknowledgedPromotions.add(member);
    }
  }
}
