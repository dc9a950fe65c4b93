package dev.orrery.core.histogram;

/**
 * What integer and float native histogram samples have in common: the bucket layout (schema, zero threshold, spans,
 * custom bounds), the counter-reset hint and the sum. Code that handles the layout works on either through this.
 */
public sealed interface NativeHistogram permits Histogram, FloatHistogram {
  /** What the sample says about a counter reset before it, or that it is a gauge. */
  CounterResetHint counterResetHint();

  /** Bucket schema; {@value Histogram#CUSTOM_BUCKETS_SCHEMA} for custom bounds. */
  int schema();

  /** Width of the zero bucket on each side of zero. */
  double zeroThreshold();

  /** Sum of observations; its bits are the stale marker's for a stale sample. */
  double sum();

  /** Runs of populated positive buckets. */
  Span[] positiveSpans();

  /** Runs of populated negative buckets. */
  Span[] negativeSpans();

  /** Upper bounds for schema {@value Histogram#CUSTOM_BUCKETS_SCHEMA}, else empty. */
  double[] customValues();

  /** Number of positive bucket values. */
  int positiveBucketCount();

  /** Number of negative bucket values. */
  int negativeBucketCount();
}
