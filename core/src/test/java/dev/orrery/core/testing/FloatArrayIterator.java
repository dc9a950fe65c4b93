package dev.orrery.core.testing;

import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;

/** Float samples from parallel arrays, for tests of iterators that combine others. */
public final class FloatArrayIterator implements SampleIterator {
  private final long[] ts;
  private final double[] vs;
  private int i = -1;

  public FloatArrayIterator(long[] ts, double[] vs) {
    this.ts = ts;
    this.vs = vs;
  }

  /** Samples at {@code start, start + step, ..., <= end} with values {@code value + k * increment}. */
  public static FloatArrayIterator every(long start, long step, long end, double value, double increment) {
    int n = (int) ((end - start) / step) + 1;
    long[] t = new long[n];
    double[] v = new double[n];
    for (int k = 0; k < n; k++) {
      t[k] = start + k * step;
      v[k] = value + k * increment;
    }
    return new FloatArrayIterator(t, v);
  }

  @Override
  public ValueType next() {
    if (i < ts.length) {
      i++;
    }
    return i < ts.length ? ValueType.FLOAT : ValueType.NONE;
  }

  @Override
  public ValueType seek(long t) {
    if (i < 0) {
      i = 0;
    }
    while (i < ts.length && ts[i] < t) {
      i++;
    }
    return i < ts.length ? ValueType.FLOAT : ValueType.NONE;
  }

  @Override
  public long atT() {
    return ts[i];
  }

  @Override
  public double atV() {
    return vs[i];
  }

  @Override
  public Histogram atHistogram() {
    throw new IllegalStateException("float samples only");
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    throw new IllegalStateException("float samples only");
  }
}
