package dev.orrery.core.histogram;

/**
 * Bucket boundaries of exponential native histograms (Prometheus' {@code getBoundExponential}): bucket {@code idx} of
 * schema {@code s} covers {@code (base^(idx-1), base^idx]} with {@code base = 2^(2^-s)}.
 */
public final class BucketBounds {
  // FRACTIONS[s][j] = 2^(j / 2^s) / 2, the mantissas of Prometheus' exponentialBounds table.
  private static final double[][] FRACTIONS = new double[9][];

  static {
    for (int s = 0; s <= 8; s++) {
      int n = 1 << s;
      FRACTIONS[s] = new double[n];
      for (int j = 0; j < n; j++) {
        FRACTIONS[s][j] = Math.pow(2, (double) j / n) / 2;
      }
    }
  }

  private BucketBounds() {}

  /** Upper bound of exponential bucket {@code idx} at {@code schema} (-4..8). */
  public static double upper(int idx, int schema) {
    if (schema < 0) {
      long exp = ((long) idx) << -schema;
      if (exp == 1024) {
        return Double.MAX_VALUE;
      }
      return Math.scalb(1.0, (int) Math.max(Math.min(exp, 2000), -2000));
    }
    int fracIdx = idx & ((1 << schema) - 1);
    double frac = FRACTIONS[schema][fracIdx];
    int exp = (idx >> schema) + 1;
    if (frac == 0.5 && exp == 1025) {
      return Double.MAX_VALUE;
    }
    return Math.scalb(frac, exp);
  }

  /** Lower bound of exponential bucket {@code idx} at {@code schema}. */
  public static double lower(int idx, int schema) {
    return upper(idx - 1, schema);
  }

  /** Upper bound of custom bucket {@code idx}: its bound, or +Inf for the last. */
  public static double customUpper(int idx, double[] customValues) {
    return idx < customValues.length ? customValues[idx] : Double.POSITIVE_INFINITY;
  }

  /** Lower bound of custom bucket {@code idx}: the previous bound, or -Inf for the first. */
  public static double customLower(int idx, double[] customValues) {
    return idx == 0 ? Double.NEGATIVE_INFINITY : customValues[Math.min(idx, customValues.length) - 1];
  }
}
