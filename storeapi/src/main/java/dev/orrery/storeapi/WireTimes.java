package dev.orrery.storeapi;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/**
 * Times on the rules and targets APIs: Thanos sends a time not known yet (a rule never evaluated, a target never
 * scraped) as Go's zero {@code time.Time}, so both it and an unset timestamp read back as {@code null}.
 */
final class WireTimes {
  /** Go's zero {@code time.Time} (0001-01-01T00:00:00Z) in Unix seconds. */
  static final long GO_ZERO_TIME_SECONDS = -62_135_596_800L;

  private WireTimes() {}

  /** {@code t} on the wire; {@code null} as Go's zero time. */
  static Timestamp timestamp(Instant t) {
    return t == null ? Timestamp.newBuilder().setSeconds(GO_ZERO_TIME_SECONDS).build()
        : Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  /** A time from the wire; Go's zero time and an unset timestamp are {@code null}. */
  static Instant instant(Timestamp t) {
    if (t.getSeconds() == 0 && t.getNanos() == 0 || t.getSeconds() == GO_ZERO_TIME_SECONDS && t.getNanos() == 0) {
      return null;
    }
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
