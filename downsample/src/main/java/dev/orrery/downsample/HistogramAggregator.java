package dev.orrery.downsample;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.core.histogram.HistogramCounterResets;

/**
 * Thanos' histogram aggregator (FORMATS.md 7.3 step 4): the number of histograms and their sum (a gauge histogram) in
 * the current window, and a counter histogram that runs over the whole batch: at a counter reset the new histogram is
 * added whole, otherwise its difference to the previous one. Every histogram is first brought to the batch's smallest
 * schema; reset detection compares the histogram as it came, so a finer schema than the previous counts as a reset,
 * as in Thanos. A gauge histogram is never a reset. One per batch.
 */
class HistogramAggregator implements WindowLoop.Aggregator {
  private final FloatHistogram[] values;
  private final int schema;
  int count;
  FloatHistogram sum;
  FloatHistogram counter;
  private FloatHistogram previous;

  /** An aggregator over the batch's histograms {@code values}, computing at {@code schema}. */
  HistogramAggregator(FloatHistogram[] values, int schema) {
    this.values = values;
    this.schema = schema;
  }

  @Override
  public void resetWindow() {
    count = 0;
    sum = null;
  }

  @Override
  public void add(int i) {
    FloatHistogram original = values[i];
    FloatHistogram h = HistogramArithmetic.reduceResolution(original, schema);
    if (previous == null) {
      counter = h;
    } else if (h.counterResetHint() != CounterResetHint.GAUGE
        && HistogramCounterResets.detectReset(previous, original)) {
      counter = plus(counter, h);
    } else {
      counter = plus(counter, check(HistogramArithmetic.sub(h, previous)));
    }
    sum = HistogramArithmetic.withHint(sum == null ? h : plus(sum, h), CounterResetHint.GAUGE);
    previous = h;
    count++;
  }

  private static FloatHistogram plus(FloatHistogram a, FloatHistogram b) {
    return check(HistogramArithmetic.add(a, b));
  }

  private static FloatHistogram check(HistogramArithmetic.Result r) {
    if (r.incompatible()) {
      throw new OrreryException(ErrorCode.UNSUPPORTED,
          "a series mixes exponential and custom-bucket histograms, which cannot be aggregated together");
    }
    return r.value();
  }

  /** Does nothing: users append what they keep of the window. */
  @Override
  public void emit(long t) {}
}
