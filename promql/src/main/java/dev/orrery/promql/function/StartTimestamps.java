package dev.orrery.promql.function;

/**
 * Start-timestamp rules of Prometheus' experimental start-timestamp support: when a new start time marks a counter
 * reset, and when it overlaps the previous sample.
 */
public final class StartTimestamps {
  private StartTimestamps() {}

  /** The start timestamp at {@code i}, 0 when unknown or not recorded. */
  public static long at(long[] starts, int i) {
    return starts == null ? 0 : starts[i];
  }

  /**
   * True when a sample at {@code t} with start {@code st} begins a new counter after the sample at {@code prevT}:
   * it started after that sample, or exactly at it when that sample itself had a proper start (a delta series;
   * a start equal to the previous time after an unknown start is a cumulative series with unknown start).
   */
  public static boolean isReset(long prevSt, long prevT, long st, long t) {
    return st != 0 && st < t && (st > prevT || (st == prevT && prevSt != 0 && prevSt < prevT));
  }

  /** True when a known start lies before the previous sample without being that sample's start. */
  public static boolean overlaps(long prevSt, long prevT, long st) {
    return st != 0 && st < prevT && st != prevSt;
  }
}
