package dev.orrery.core.histogram;

/**
 * A float native histogram sample with absolute bucket counts, as stored in float histogram chunks and as PromQL
 * computes with. Immutable by convention: do not change the arrays.
 *
 * @param customValues upper bounds for schema {@value Histogram#CUSTOM_BUCKETS_SCHEMA}, else empty
 */
public record FloatHistogram(
    CounterResetHint counterResetHint,
    int schema,
    double zeroThreshold,
    double zeroCount,
    double count,
    double sum,
    Span[] positiveSpans,
    double[] positiveBuckets,
    Span[] negativeSpans,
    double[] negativeBuckets,
    double[] customValues) implements NativeHistogram {

  @Override
  public int positiveBucketCount() {
    return positiveBuckets.length;
  }

  @Override
  public int negativeBucketCount() {
    return negativeBuckets.length;
  }
}
