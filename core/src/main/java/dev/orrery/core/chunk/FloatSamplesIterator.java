package dev.orrery.core.chunk;

/** Float samples from parallel arrays ({@link FloatSamples#iterator()}). Confined to one thread. */
final class FloatSamplesIterator implements FloatSampleIterator {
  private final long[] ts;
  private final double[] vs;
  private final int count;
  private int i = -1;

  FloatSamplesIterator(long[] ts, double[] vs, int count) {
    this.ts = ts;
    this.vs = vs;
    this.count = count;
  }

  @Override
  public ValueType next() {
    if (i < count) {
      i++;
    }
    return i < count ? ValueType.FLOAT : ValueType.NONE;
  }

  @Override
  public ValueType seek(long t) {
    if (i < 0) {
      i = 0;
    }
    while (i < count && ts[i] < t) {
      i++;
    }
    return i < count ? ValueType.FLOAT : ValueType.NONE;
  }

  @Override
  public long atT() {
    return ts[i];
  }

  @Override
  public double atV() {
    return vs[i];
  }
}
