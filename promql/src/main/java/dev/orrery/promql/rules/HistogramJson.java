package dev.orrery.promql.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orrery.core.histogram.BucketBounds;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.io.GoFloat;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a native histogram back from the query API's JSON ({@code {"count", "sum", "buckets": [[boundaries, lower,
 * upper, count], ...]}}), which lists bounds rather than the schema and bucket indexes: the schema is the one whose
 * bucket bounds are exactly those listed (every exponential schema, -4 to 8, is tried), the zero threshold is the zero
 * bucket's bound (or the bound a first bucket was clipped to, or Prometheus' default unless a bucket lies below it:
 * without a zero bucket the threshold is not shown, and any that leaves the buckets as listed will do). Histograms
 * with custom bucket bounds cannot be told apart from the JSON alone (empty buckets are not listed), so they are
 * refused.
 */
final class HistogramJson {
  /** Prometheus' default zero threshold, 2^-128. */
  static final double DEFAULT_ZERO_THRESHOLD = Math.scalb(1.0, -128);
  private static final int MIN_SCHEMA = -4;
  private static final int MAX_SCHEMA = 8;

  private HistogramJson() {}

  /** One listed bucket. */
  private record Bucket(int boundaries, double lower, double upper, double count) {}

  /**
   * The histogram {@code json} shows.
   *
   * @throws IllegalArgumentException when the buckets fit no exponential schema
   */
  static FloatHistogram parse(JsonNode json) {
    double count = number(json.path("count"));
    double sum = number(json.path("sum"));
    List<Bucket> positive = new ArrayList<>();
    List<Bucket> negative = new ArrayList<>();
    double zeroCount = 0;
    double zeroThreshold = Double.NaN;
    for (JsonNode b : json.path("buckets")) {
      Bucket bucket = new Bucket(b.path(0).asInt(), number(b.path(1)), number(b.path(2)), number(b.path(3)));
      if (bucket.lower() == Double.NEGATIVE_INFINITY || bucket.upper() == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("a bucket reaches infinity: the histogram has custom bucket bounds");
      }
      if (bucket.boundaries() == 3 && bucket.lower() == -bucket.upper()) {
        zeroCount = bucket.count();
        zeroThreshold = bucket.upper();
      } else if (bucket.upper() > 0) {
        positive.add(bucket);
      } else {
        negative.add(bucket);
      }
    }
    for (int schema = MAX_SCHEMA; schema >= MIN_SCHEMA; schema--) {
      int[] positiveIndexes = indexes(positive, schema, false);
      int[] negativeIndexes = indexes(negative, schema, true);
      if (positiveIndexes != null && negativeIndexes != null) {
        double threshold = Double.isNaN(zeroThreshold) ? clippedThreshold(positive, negative, schema)
            : zeroThreshold;
        return new FloatHistogram(CounterResetHint.UNKNOWN, schema, threshold, zeroCount, count, sum,
            spans(positiveIndexes), counts(positive, false), spans(reverse(negativeIndexes)), counts(negative, true),
            new double[0]);
      }
    }
    throw new IllegalArgumentException("its bucket bounds fit no exponential schema (custom bucket bounds?)");
  }

  /**
   * The bucket indexes of {@code buckets} at {@code schema} (negative buckets by their absolute bounds), or null when
   * a bucket's bounds are not that schema's. A first bucket's inner bound may be clipped to the zero threshold.
   */
  private static int[] indexes(List<Bucket> buckets, int schema, boolean negative) {
    int[] out = new int[buckets.size()];
    for (int k = 0; k < buckets.size(); k++) {
      Bucket b = buckets.get(k);
      double outer = negative ? -b.lower() : b.upper();
      double inner = negative ? -b.upper() : b.lower();
      int idx = index(outer, schema);
      if (BucketBounds.upper(idx, schema) != outer) {
        return null;
      }
      double expectedInner = BucketBounds.lower(idx, schema);
      boolean clipped = inner > expectedInner && inner < outer && isInnermost(k, buckets.size(), negative);
      if (inner != expectedInner && !clipped) {
        return null;
      }
      out[k] = idx;
    }
    return out;
  }

  /** Whether bucket {@code k} is the one nearest zero (the first positive, the last negative in ascending order). */
  private static boolean isInnermost(int k, int n, boolean negative) {
    return negative ? k == n - 1 : k == 0;
  }

  /**
   * The zero threshold a clipped innermost bucket shows; else Prometheus' default, lowered to the innermost bucket's
   * inner bound when that lies below it (the threshold cannot be above a bucket that was not clipped).
   */
  private static double clippedThreshold(List<Bucket> positive, List<Bucket> negative, int schema) {
    double threshold = DEFAULT_ZERO_THRESHOLD;
    if (!positive.isEmpty()) {
      Bucket b = positive.get(0);
      if (b.lower() != BucketBounds.lower(index(b.upper(), schema), schema)) {
        return b.lower();
      }
      threshold = Math.min(threshold, b.lower());
    }
    if (!negative.isEmpty()) {
      Bucket b = negative.get(negative.size() - 1);
      if (-b.upper() != BucketBounds.lower(index(-b.lower(), schema), schema)) {
        return -b.upper();
      }
      threshold = Math.min(threshold, -b.upper());
    }
    return Math.max(threshold, 0);
  }

  /** The index of the bucket whose outer (absolute) bound is {@code outer}, rounded. */
  private static int index(double outer, int schema) {
    return (int) Math.round(Math.log(outer) / Math.log(2) * Math.scalb(1.0, schema));
  }

  /** Spans over ascending bucket indexes. */
  private static Span[] spans(int[] indexes) {
    List<Span> out = new ArrayList<>();
    int k = 0;
    int end = 0;
    while (k < indexes.length) {
      int start = k;
      while (k + 1 < indexes.length && indexes[k + 1] == indexes[k] + 1) {
        k++;
      }
      out.add(new Span(out.isEmpty() ? indexes[start] : indexes[start] - end, k - start + 1));
      end = indexes[k] + 1;
      k++;
    }
    return out.toArray(Span[]::new);
  }

  /** Counts in bucket index order: negative buckets are listed with the highest index first. */
  private static double[] counts(List<Bucket> buckets, boolean negative) {
    double[] out = new double[buckets.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = buckets.get(negative ? out.length - 1 - k : k).count();
    }
    return out;
  }

  private static int[] reverse(int[] a) {
    int[] out = new int[a.length];
    for (int k = 0; k < a.length; k++) {
      out[k] = a[a.length - 1 - k];
    }
    return out;
  }

  private static double number(JsonNode n) {
    try {
      return GoFloat.parse(n.asText());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }
}
