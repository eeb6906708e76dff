package org.tidepool.clinic.common;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Instant;

/** A Caffeine {@link Ticker} reading a {@link Clock}, so that a test moving its clock moves the cache's expiry too. */
public final class ClockTicker implements Ticker {
  private final Clock clock;

  public ClockTicker(Clock clock) {
    this.clock = clock;
  }

  @Override
  public long read() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
