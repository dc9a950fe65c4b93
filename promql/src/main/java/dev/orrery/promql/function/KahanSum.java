package dev.orrery.promql.function;

/**
 * Kahan summation with Neumaier's improvement, as Prometheus' {@code kahanSumInc}: the running sum and its
 * compensation are kept by the caller in two doubles.
 */
public final class KahanSum {
  private KahanSum() {}

  /** The new sum of {@code sum + inc}. Use {@link #compensation} for the matching new compensation. */
  public static double sum(double inc, double sum) {
    return sum + inc;
  }

  /** The new compensation after adding {@code inc} to {@code sum} with compensation {@code c}. */
  public static double compensation(double inc, double sum, double c) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      return 0;
    }
    if (Math.abs(sum) >= Math.abs(inc)) {
      return c + ((sum - t) + inc);
    }
    return c + ((inc - t) + sum);
  }
}
