package dev.orrery.downsample;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.core.histogram.HistogramCounterResets;

/**
 * Thanos' histogram aggregator (FORMATS.md 7.3 step 4): the number of histograms and their sum (a gauge histogram) in
 * the current window, and a counter histogram that runs on across windows: at a counter reset the new histogram is
 * added whole, otherwise its difference to the previous one. Every histogram is first brought to one schema, the
 * smallest of what it aggregates; reset detection compares each histogram as it came with the previous one as it
 * came. A gauge histogram is never a reset.
 *
 * <p>Thanos starts a new counter with every 5m chunk and compares a histogram with the previous one at the reduced
 * schema; the raw downsampler here keeps one counter over a series' chunks instead (see {@link
 * RawDownsampler#downsampleHistograms}), so that a reset inside one chunk does not make the next chunk's first counter
 * look like another reset, and it compares like with like, so that a finer schema alone is not a reset.
 */
class HistogramAggregator implements WindowLoop.Aggregator {
  private FloatHistogram[] values;
  private final int schema;
  int count;
  FloatHistogram sum;
  FloatHistogram counter;
  private FloatHistogram previous;
  private FloatHistogram previousAsItCame;

  /** An aggregator over the histograms {@code values} (until {@link #use}), computing at {@code schema}. */
  HistogramAggregator(FloatHistogram[] values, int schema) {
    this.values = values;
    this.schema = schema;
  }

  /** Goes on with the histograms of the next batch; the counter carries over. */
  void use(FloatHistogram[] batch) {
    this.values = batch;
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
        && HistogramCounterResets.detectReset(previousAsItCame, original)) {
      counter = plus(counter, h);
    } else {
      counter = plus(counter, check(HistogramArithmetic.sub(h, previous)));
    }
    sum = HistogramArithmetic.withHint(sum == null ? h : plus(sum, h), CounterResetHint.GAUGE);
    previous = h;
    previousAsItCame = original;
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
