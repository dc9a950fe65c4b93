package dev.orrery.core.chunk;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;

/** The iterator over nothing; a null object that removes null checks. */
final class EmptySampleIterator implements SampleIterator {
  static final EmptySampleIterator INSTANCE = new EmptySampleIterator();

  @Override
  public ValueType next() {
    return ValueType.NONE;
  }

  @Override
  public ValueType seek(long t) {
    return ValueType.NONE;
  }

  @Override
  public long atT() {
    throw new IllegalStateException("empty iterator has no sample");
  }

  @Override
  public double atV() {
    throw new IllegalStateException("empty iterator has no sample");
  }

  @Override
  public Histogram atHistogram() {
    throw new IllegalStateException("empty iterator has no sample");
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    throw new IllegalStateException("empty iterator has no sample");
  }
}
