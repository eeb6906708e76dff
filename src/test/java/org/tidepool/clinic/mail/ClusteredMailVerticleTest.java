package org.tidepool.clinic.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tidepool.clinic.mail.MailTestSupport.receivedBy;
import static org.tidepool.clinic.mail.MailTestSupport.send;
import static org.tidepool.clinic.mail.MailTestSupport.sendRequest;

import com.icegreen.greenmail.util.GreenMail;
import de.bwaldvogel.mongo.MongoServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tidepool.clinic.testing.HazelcastPair;

/**
 * Two mail processes on one database, joined by a clustered event bus: a request repeated while
 * the first is still with the SMTP server (its caller timed out and asked again) may reach the
 * other process, and must not send a second mail there either.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusteredMailVerticleTest {
  private static HazelcastPair cluster;
  private static GreenMail smtp;
  private static MongoServer mongoServer;
  private static final Map<Vertx, AtomicInteger> served = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    cluster = new HazelcastPair("mail", 0);
    smtp = MailTestSupport.startGreenMail();
    mongoServer = MailTestSupport.startMongo();
    for (Vertx member : List.of(cluster.first(), cluster.second())) {
      member.deployVerticle(new MailVerticle(), new DeploymentOptions().setConfig(MailTestSupport.config(smtp, mongoServer))).await();
      AtomicInteger requests = new AtomicInteger();
      served.put(member, requests);
      member.eventBus().addInboundInterceptor(delivery -> {
        if (delivery.message().address().equals(MailAddresses.ADDRESS)) {
          requests.incrementAndGet();
        }
        delivery.next();
      });
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
    smtp.stop();
    mongoServer.shutdownNow();
  }

  @Test
  void aRequestRepeatedAcrossTwoProcessesSendsOneMail() throws Exception {
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int key = 0; key < 10; key++) {
      JsonObject request = sendRequest("clinic_created", "cluster" + key + "@example.org",
          new JsonObject().put("ClinicName", "Cluster Clinic"), "event-cluster-" + key + ":clinic_created");
      for (int repeat = 0; repeat < 2; repeat++) {
        replies.add(send(cluster.first(), request));
        replies.add(send(cluster.second(), request));
      }
    }
    Future.all(replies).await(60, TimeUnit.SECONDS);

    for (int key = 0; key < 10; key++) {
      assertThat(receivedBy(smtp, "cluster" + key + "@example.org")).as("mails of key " + key).hasSize(1);
      List<JsonObject> ofKey = replies.subList(4 * key, 4 * key + 4).stream().map(Future::result).toList();
      assertThat(ofKey).as("replies of key " + key).filteredOn(reply -> reply.getBoolean("sent")).hasSize(1);
    }
    assertThat(served.values()).allSatisfy(requests -> assertThat(requests.get()).isPositive());
  }
}
