package org.tidepool.clinic.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tidepool.clinic.common.ServiceError;

/** A token verified once is taken from {@link VerifiedTokens} after, but never past its expiry nor for another string. */
@ExtendWith(VertxExtension.class)
class JwtAuthenticatorTest {
  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-12-02T06:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aVerifiedTokenIsRefusedOnceItsExpiryHasPassed(Vertx vertx) throws InterruptedException {
    DevTokens tokens = TestTokens.withSecret(vertx, "k");
    long exp = System.currentTimeMillis() / 1000 + 2;
    String token = tokens.provider().generateToken(new JsonObject().put("sub", "abcdef0123").put("exp", exp),
        new JWTOptions().setAlgorithm(DevTokens.ALGORITHM));
    JwtAuthenticator authenticator = new JwtAuthenticator(tokens.provider(), DevTokensTest.NO_USERS);
    assertEquals(Caller.user("abcdef0123"), authenticator.authenticate(DevTokensTest.bearer(token)).await());
    assertEquals(Caller.user("abcdef0123"), authenticator.authenticate(DevTokensTest.bearer(token)).await());
    Thread.sleep(Math.max(0, exp * 1000 - System.currentTimeMillis()) + 100);
    ServiceError expired = assertThrows(ServiceError.class, () -> authenticator.authenticate(DevTokensTest.bearer(token)).await());
    assertEquals(401, expired.code());
  }

  @Test
  void anotherSignatureOnTheClaimsOfAVerifiedTokenIsRefused(Vertx vertx) {
    DevTokens tokens = TestTokens.withSecret(vertx, "k");
    String token = tokens.user("abcdef0123", "ann@example.org", "Ann");
    JwtAuthenticator authenticator = new JwtAuthenticator(tokens.provider(), DevTokensTest.NO_USERS);
    authenticator.authenticate(DevTokensTest.bearer(token)).await();
    String claims = token.substring(0, token.lastIndexOf('.') + 1);
    String forged = TestTokens.withSecret(vertx, "other key").user("abcdef0123", "ann@example.org", "Ann");
    String otherSignature = claims + forged.substring(forged.lastIndexOf('.') + 1);
    ServiceError refused = assertThrows(ServiceError.class, () -> authenticator.authenticate(DevTokensTest.bearer(otherSignature)).await());
    assertEquals(401, refused.code());
  }

  @Test
  void aVerifiedTokenIsKeptForTheTimeToLiveAtMost() {
    MovingClock clock = new MovingClock();
    VerifiedTokens verified = new VerifiedTokens(clock);
    verified.put("t", User.fromName("abcdef0123"));
    assertNotNull(verified.user("t"));
    clock.now = clock.now.plus(VerifiedTokens.TIME_TO_LIVE);
    assertNull(verified.user("t"));
  }

  @Test
  void theVerifiedTokensAreBounded() {
    VerifiedTokens verified = new VerifiedTokens(new MovingClock());
    for (int i = 0; i <= VerifiedTokens.MAXIMUM_SIZE; i++) {
      verified.put("t" + i, User.fromName("u" + i));
    }
    assertTrue(verified.size() <= VerifiedTokens.MAXIMUM_SIZE);
  }
}
