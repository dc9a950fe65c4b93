package dev.orrery.promql.function;

import dev.orrery.core.histogram.FloatHistogram;

/** Where a kernel writes its result: a float, or a histogram when {@link #histogram} is non-null. Reused. */
public final class KernelOutput {
  /** The float result. */
  public double value;
  /** The histogram result, or {@code null}. */
  public FloatHistogram histogram;

  /** Sets a float result and returns true. */
  public boolean set(double v) {
    value = v;
    histogram = null;
    return true;
  }

  /** Sets a histogram result and returns true. */
  public boolean set(FloatHistogram h) {
    histogram = h;
    return true;
  }
}
