package dev.orrery.downsample.compact;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.downsample.HourDownsampler;
import dev.orrery.downsample.RawDownsampler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * How long the compactor keeps blocks of each resolution (FORMATS.md 7.6; Thanos' {@code --retention.resolution-raw},
 * {@code --retention.resolution-5m} and {@code --retention.resolution-1h}). A zero duration keeps blocks of that
 * resolution forever. Immutable.
 *
 * @param raw retention of raw blocks
 * @param fiveMinutes retention of 5m blocks
 * @param oneHour retention of 1h blocks
 */
public record RetentionPolicy(Duration raw, Duration fiveMinutes, Duration oneHour) {
  /**
   * Checks the durations.
   *
   * @throws IllegalArgumentException if a duration is negative
   */
  public RetentionPolicy {
    check(raw, "raw");
    check(fiveMinutes, "fiveMinutes");
    check(oneHour, "oneHour");
  }

  private static void check(Duration d, String name) {
    Objects.requireNonNull(d, name + " is null");
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " retention " + d + " is negative");
    }
  }

  /**
   * The blocks past their retention at {@code now}, sorted by minimum time: those whose {@code maxTime}, truncated to
   * whole seconds as Thanos does ({@code ApplyRetentionPolicyByResolution}), plus the retention of their resolution
   * lies before {@code now}. A block of a resolution other than raw, 5m or 1h is kept, as Thanos keeps it: no
   * retention applies to it.
   */
  public List<BlockMeta> expired(Collection<BlockMeta> metas, Instant now) {
    Objects.requireNonNull(now, "now is null");
    List<BlockMeta> out = new ArrayList<>();
    for (BlockMeta m : metas) {
      Duration retention = retentionOf(CompactionGroup.resolutionOf(m));
      if (retention.isZero()) {
        continue;
      }
      // Go's time.Unix(maxTime/1000, 0): division truncates toward zero.
      Instant end = Instant.ofEpochSecond(m.maxTimeMillis() / 1000);
      // now > end + retention, written so that no retention, however long, overflows an Instant.
      if (Duration.between(end, now).compareTo(retention) > 0) {
        out.add(m);
      }
    }
    out.sort(CompactionGroup.BY_MIN_TIME);
    return out;
  }

  /**
   * Checks that downsampling can keep up with this policy, as the Thanos compactor does before it starts: raw blocks
   * are downsampled only once they span 40h, and 5m blocks once they span 10 days, so a shorter non-zero retention
   * would delete them before their downsampled copies exist.
   *
   * @throws IllegalArgumentException naming the flag, if a non-zero raw retention is under 40h or a non-zero 5m
   *     retention is under 10 days
   */
  public void checkForDownsampling() {
    checkAtLeast(raw, DownsamplePlanner.MIN_RANGE_FOR_5M_MILLIS, "--retention.resolution-raw", "raw", "5m");
    checkAtLeast(fiveMinutes, DownsamplePlanner.MIN_RANGE_FOR_1H_MILLIS, "--retention.resolution-5m", "5m", "1h");
  }

  private static void checkAtLeast(Duration retention, long minMillis, String flag, String from, String to) {
    if (!retention.isZero() && retention.toMillis() < minMillis) {
      Duration min = Duration.ofMillis(minMillis);
      throw new IllegalArgumentException(flag + "=" + format(retention) + " is shorter than " + format(min) + ", the "
          + "smallest " + from + " block that is downsampled to " + to + "; set it to 0 (keep forever) or at least "
          + format(min));
    }
  }

  // Flag syntax: 40h, 10d, 90m; anything finer falls back to ISO-8601.
  private static String format(Duration d) {
    if (d.toNanosPart() == 0 && !d.isZero()) {
      long s = d.toSeconds();
      if (s % 86_400 == 0) {
        return s / 86_400 + "d";
      }
      if (s % 3_600 == 0) {
        return s / 3_600 + "h";
      }
      if (s % 60 == 0) {
        return s / 60 + "m";
      }
      return s + "s";
    }
    return d.toString();
  }

  /** The retention of blocks at {@code resolutionMillis} (0, 5m or 1h); zero (keep forever) for any other. */
  public Duration retentionOf(long resolutionMillis) {
    if (resolutionMillis == 0) {
      return raw;
    }
    if (resolutionMillis == RawDownsampler.RESOLUTION_5M) {
      return fiveMinutes;
    }
    if (resolutionMillis == HourDownsampler.RESOLUTION_1H) {
      return oneHour;
    }
    return Duration.ZERO;
  }
}
