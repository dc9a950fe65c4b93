package dev.orrery.core.chunk;

/**
 * Prometheus' staleness marker: a NaN with this exact bit pattern, written when a series disappears from a scrape.
 * Other NaNs are ordinary values, so the marker is recognised by its bits, never by {@link Double#isNaN}.
 */
public final class StaleNaN {
  /** The marker's IEEE-754 bits. */
  public static final long BITS = 0x7ff0000000000002L;

  private StaleNaN() {}

  /** Whether {@code v} is the staleness marker. */
  public static boolean is(double v) {
    return Double.doubleToRawLongBits(v) == BITS;
  }
}
