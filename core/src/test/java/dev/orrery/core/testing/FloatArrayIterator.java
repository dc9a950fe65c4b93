package dev.orrery.core.testing;

import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.ForwardingSampleIterator;

/** Float samples from parallel arrays, for tests of iterators that combine others. */
public final class FloatArrayIterator extends ForwardingSampleIterator {
  public FloatArrayIterator(long[] ts, double[] vs) {
    super(new FloatSamples().wrap(ts, vs, ts.length).iterator());
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
}
