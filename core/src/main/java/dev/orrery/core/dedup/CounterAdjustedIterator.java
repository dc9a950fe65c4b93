package dev.orrery.core.dedup;

import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;

/**
 * One replica's samples plus an additive correction {@code errAdjust} (initially 0) applied to float values
 * (FORMATS.md 9.3). Histograms are passed through unadjusted. While the correction is 0 values keep their exact bits
 * (a stale NaN stays a stale NaN: adding 0.0 would quiet it). Confined to one thread.
 */
final class CounterAdjustedIterator implements CounterAdjustable {
  private final SampleIterator in;
  private ValueType type = ValueType.NONE;
  private double errAdjust;

  CounterAdjustedIterator(SampleIterator in) {
    this.in = in;
  }

  @Override
  public void adjust(double lastValue) {
    if (type != ValueType.FLOAT) {
      return;
    }
    double v = atV();
    if (lastValue > v) {
      errAdjust += lastValue - v;
    }
  }

  @Override
  public ValueType next() {
    return type = in.next();
  }

  @Override
  public ValueType seek(long t) {
    return type = in.seek(t);
  }

  @Override
  public long atT() {
    return in.atT();
  }

  @Override
  public double atV() {
    double v = in.atV();
    return errAdjust == 0 ? v : v + errAdjust;
  }

  @Override
  public Histogram atHistogram() {
    return in.atHistogram();
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    return in.atFloatHistogram();
  }

  @Override
  public long atST() {
    return in.atST();
  }
}
