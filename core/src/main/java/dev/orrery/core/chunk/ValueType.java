package dev.orrery.core.chunk;

/** What a {@link SampleIterator} is positioned at (Prometheus' {@code chunkenc.ValueType}). */
public enum ValueType {
  /** Exhausted, or not positioned yet. */
  NONE,
  /** A float sample: read {@link SampleIterator#atT()} and {@link SampleIterator#atV()}. */
  FLOAT,
  /** An integer native histogram: {@link SampleIterator#atHistogram()} (or as float). */
  HISTOGRAM,
  /** A float native histogram: {@link SampleIterator#atFloatHistogram()}. */
  FLOAT_HISTOGRAM
}
