package dev.orrery.core.histogram;

/**
 * An integer native histogram sample as stored in histogram chunks. Bucket arrays hold Prometheus' delta encoding: the
 * first bucket absolute, each following one as the difference to the previous bucket. Immutable by convention: do not
 * change the arrays.
 *
 * @param customValues upper bounds for schema {@value #CUSTOM_BUCKETS_SCHEMA}, else empty
 */
public record Histogram(
    CounterResetHint counterResetHint,
    int schema,
    double zeroThreshold,
    long zeroCount,
    long count,
    double sum,
    Span[] positiveSpans,
    long[] positiveBucketDeltas,
    Span[] negativeSpans,
    long[] negativeBucketDeltas,
    double[] customValues) implements NativeHistogram {

  /** Schema number of histograms with custom bucket bounds ("NHCB"). */
  public static final int CUSTOM_BUCKETS_SCHEMA = -53;

  @Override
  public int positiveBucketCount() {
    return positiveBucketDeltas.length;
  }

  @Override
  public int negativeBucketCount() {
    return negativeBucketDeltas.length;
  }

  /** The same sample with absolute float bucket counts. */
  public FloatHistogram toFloat() {
    return new FloatHistogram(counterResetHint, schema, zeroThreshold, zeroCount, count, sum,
        positiveSpans, absolute(positiveBucketDeltas), negativeSpans, absolute(negativeBucketDeltas), customValues);
  }

  private static double[] absolute(long[] deltas) {
    double[] out = new double[deltas.length];
    long current = 0;
    for (int i = 0; i < deltas.length; i++) {
      current += deltas[i];
      out[i] = current;
    }
    return out;
  }
}
