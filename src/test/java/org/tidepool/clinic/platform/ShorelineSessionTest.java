package org.tidepool.clinic.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.platform.ShorelineSession.TokenOwner;

/** Token checks against a (WireMock) shoreline, and how long server tokens are trusted. */
@ExtendWith(VertxExtension.class)
class ShorelineSessionTest {
  WireMockServer shoreline;
  MutableClock clock = new MutableClock();
  ShorelineSession session;

  @BeforeEach
  void start(Vertx vertx) {
    shoreline = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    shoreline.start();
    shoreline.stubFor(post(urlEqualTo("/serverlogin"))
        .willReturn(aResponse().withStatus(200).withHeader("x-tidepool-session-token", "own")));
    shoreline.stubFor(get(urlEqualTo("/token/server-token")).willReturn(okJson("{\"userid\":\"hydrophone\",\"isserver\":true}")));
    shoreline.stubFor(get(urlEqualTo("/token/user-token")).willReturn(okJson("{\"userid\":\"abcdef0123\",\"isserver\":false}")));
    shoreline.stubFor(get(urlEqualTo("/token/garbage")).willReturn(okJson("not json")));
    session = new ShorelineSession(WebClient.create(vertx), shoreline.baseUrl(), "clinic", "secret", clock);
  }

  @AfterEach
  void stop() {
    shoreline.stop();
  }

  @Test
  void serverTokensAreTrustedForFiveMinutes() {
    assertEquals(new TokenOwner("hydrophone", true), session.checkToken("server-token").await());
    clock.advance(Duration.ofMinutes(4));
    session.checkToken("server-token").await();
    shoreline.verify(1, getRequestedFor(urlEqualTo("/token/server-token")));
    clock.advance(Duration.ofMinutes(2));
    session.checkToken("server-token").await();
    shoreline.verify(2, getRequestedFor(urlEqualTo("/token/server-token")));
  }

  @Test
  void userTokensAreCheckedEveryTime() {
    assertEquals(new TokenOwner("abcdef0123", false), session.checkToken("user-token").await());
    session.checkToken("user-token").await();
    shoreline.verify(2, getRequestedFor(urlEqualTo("/token/user-token")));
  }

  @Test
  void answersArriveOnTheCallersEventLoopWhoeverLoggedIn(Vertx vertx) throws Exception {
    Context loggedInOn = vertx.getOrCreateContext();
    Context askedOn = vertx.getOrCreateContext();
    assertNotSame(loggedInOn, askedOn);
    CompletableFuture<String> login = new CompletableFuture<>();
    loggedInOn.runOnContext(v -> session.serverToken().onSuccess(login::complete));
    login.get(10, TimeUnit.SECONDS);

    CompletableFuture<Context> answeredOn = new CompletableFuture<>();
    askedOn.runOnContext(v -> session.checkToken("user-token").onComplete(answer -> answeredOn.complete(Vertx.currentContext())));

    // another api instance's event loop must not carry on with this request
    assertSame(askedOn, answeredOn.get(10, TimeUnit.SECONDS));
  }

  @Test
  void unknownOrUnreadableAnswersMeanNoOwner() {
    assertNull(session.checkToken("unknown").await());
    assertNull(session.checkToken("garbage").await());
  }
}
