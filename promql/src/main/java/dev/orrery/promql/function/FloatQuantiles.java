package dev.orrery.promql.function;

import java.util.Arrays;

/** Prometheus' {@code quantile}: linear interpolation between the closest ranks; NaN sorts first as in Go. */
public final class FloatQuantiles {
  private FloatQuantiles() {}

  /**
   * The {@code q}-quantile of {@code values[0, n)}, which are sorted in place. NaN for no values or a NaN {@code q},
   * -Inf below 0 and +Inf above 1.
   */
  public static double quantile(double q, double[] values, int n) {
    if (n == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    sortGoOrder(values, n);
    double rank = q * (n - 1);
    double lowerIndex = Math.max(0, Math.floor(rank));
    double upperIndex = Math.min(n - 1, lowerIndex + 1);
    double weight = rank - Math.floor(rank);
    return values[(int) lowerIndex] * (1 - weight) + values[(int) upperIndex] * weight;
  }

  /** Sorts ascending with NaNs first, as Go's {@code sort.Float64s}. */
  public static void sortGoOrder(double[] values, int n) {
    Arrays.sort(values, 0, n);
    // Java puts NaNs last; rotate them to the front.
    int nans = 0;
    while (nans < n && Double.isNaN(values[n - 1 - nans])) {
      nans++;
    }
    if (nans > 0 && nans < n) {
      System.arraycopy(values, 0, values, nans, n - nans);
      Arrays.fill(values, 0, nans, Double.NaN);
    }
  }
}
