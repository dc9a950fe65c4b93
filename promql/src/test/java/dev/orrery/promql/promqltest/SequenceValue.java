package dev.orrery.promql.promqltest;

import dev.orrery.core.histogram.FloatHistogram;

/**
 * One position of an expanded series description ({@code 1 2+3x4 _ stale {{...}}}): omitted, a float (stale NaN
 * included) or a histogram. {@code hintSet} says whether a histogram literal named its counter reset hint explicitly.
 */
record SequenceValue(boolean omitted, double value, FloatHistogram histogram, boolean hintSet) {
  static final SequenceValue OMITTED = new SequenceValue(true, 0, null, false);

  static SequenceValue ofFloat(double v) {
    return new SequenceValue(false, v, null, false);
  }

  static SequenceValue ofHistogram(FloatHistogram h, boolean hintSet) {
    return new SequenceValue(false, 0, h, hintSet);
  }

  @Override
  public String toString() {
    if (omitted) {
      return "_";
    }
    return histogram != null ? HistogramText.of(histogram) : FloatText.of(value);
  }
}
