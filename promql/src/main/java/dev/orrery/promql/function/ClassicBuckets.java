package dev.orrery.promql.function;

/**
 * {@code histogram_quantile} and {@code histogram_fraction} over classic histogram buckets ({@code le} series):
 * buckets are sorted by upper bound, equal bounds merged, float precision errors evened out and monotonicity forced
 * (Prometheus' {@code BucketQuantile}). Works in place on the caller's arrays.
 */
public final class ClassicBuckets {
  private ClassicBuckets() {}

  /** The result of {@link #quantile}: the value and whether monotonicity had to be forced. */
  public record Quantile(double value, boolean forcedMonotonicity) {}

  // Sorts the first n (bound, count) pairs by bound and merges equal bounds; returns the new length.
  private static int sortAndCoalesce(double[] bounds, double[] counts, int n) {
    for (int i = 1; i < n; i++) {
      double b = bounds[i];
      double c = counts[i];
      int j = i - 1;
      while (j >= 0 && bounds[j] > b) {
        bounds[j + 1] = bounds[j];
        counts[j + 1] = counts[j];
        j--;
      }
      bounds[j + 1] = b;
      counts[j + 1] = c;
    }
    int w = 0;
    for (int i = 1; i < n; i++) {
      if (bounds[i] == bounds[w]) {
        counts[w] += counts[i];
      } else {
        w++;
        bounds[w] = bounds[i];
        counts[w] = counts[i];
      }
    }
    return n == 0 ? 0 : w + 1;
  }

  /** The {@code q}-quantile of the {@code n} buckets. */
  public static Quantile quantile(double q, double[] bounds, double[] counts, int n) {
    if (Double.isNaN(q)) {
      return new Quantile(Double.NaN, false);
    }
    if (q < 0) {
      return new Quantile(Double.NEGATIVE_INFINITY, false);
    }
    if (q > 1) {
      return new Quantile(Double.POSITIVE_INFINITY, false);
    }
    n = sortAndCoalesce(bounds, counts, n);
    if (n == 0 || bounds[n - 1] != Double.POSITIVE_INFINITY) {
      return new Quantile(Double.NaN, false);
    }
    correctPrecisionErrors(counts, n, 1e-12);
    boolean forced = ensureMonotonic(counts, n);
    if (n < 2) {
      return new Quantile(Double.NaN, false);
    }
    double observations = counts[n - 1];
    if (observations == 0) {
      return new Quantile(Double.NaN, false);
    }
    double rank = q * observations;
    int b = 0;
    while (b < n - 1 && !(counts[b] >= rank)) {
      b++;
    }
    if (b == n - 1) {
      return new Quantile(bounds[n - 2], forced);
    }
    if (b == 0 && bounds[0] <= 0) {
      return new Quantile(bounds[0], forced);
    }
    double bucketStart = 0;
    double bucketEnd = bounds[b];
    double count = counts[b];
    if (b > 0) {
      bucketStart = bounds[b - 1];
      count -= counts[b - 1];
      rank -= counts[b - 1];
    }
    return new Quantile(bucketStart + (bucketEnd - bucketStart) * (rank / count), forced);
  }

  private static void correctPrecisionErrors(double[] counts, int n, double tolerance) {
    double prev = counts[0];
    for (int i = 1; i < n; i++) {
      double curr = counts[i];
      double delta = Math.abs(curr - prev);
      if (delta == 0) {
        continue;
      }
      if (delta / curr <= tolerance) {
        counts[i] = prev;
      } else {
        prev = curr;
      }
    }
  }

  private static boolean ensureMonotonic(double[] counts, int n) {
    boolean forced = false;
    double max = counts[0];
    for (int i = 1; i < n; i++) {
      if (counts[i] > max) {
        max = counts[i];
      } else if (counts[i] < max) {
        counts[i] = max;
        forced = true;
      }
    }
    return forced;
  }

  /** The fraction of observations in {@code (lower, upper]} estimated from the {@code n} buckets. */
  public static double fraction(double lower, double upper, double[] bounds, double[] counts, int n) {
    n = sortAndCoalesce(bounds, counts, n);
    if (n == 0 || bounds[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    ensureMonotonic(counts, n);
    double count = counts[n - 1];
    if (count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    for (int i = 0; i < n; i++) {
      double lb = i > 0 ? bounds[i - 1] : (bounds[0] > 0 ? 0 : Double.NEGATIVE_INFINITY);
      double ub = bounds[i];
      double bc = counts[i] - rank;
      if (!lowerSet && lb >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && lb >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && lb < lower && ub > lower) {
        lowerRank = interpolate(rank, bc, lb, ub, lower);
        lowerSet = true;
      }
      if (!upperSet && lb < upper && ub > upper) {
        upperRank = interpolate(rank, bc, lb, ub, upper);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank = counts[i];
    }
    if (!lowerSet || lowerRank > count) {
      lowerRank = count;
    }
    if (!upperSet || upperRank > count) {
      upperRank = count;
    }
    return (upperRank - lowerRank) / count;
  }

  private static double interpolate(double rank, double count, double lower, double upper, double v) {
    if (Double.isInfinite(lower)) {
      return rank + count;
    }
    if (Double.isInfinite(upper)) {
      return rank;
    }
    return rank + count * (v - lower) / (upper - lower);
  }
}
