package dev.orrery.promql.function;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.promql.engine.Annotations;

/**
 * The samples of one series inside one range window {@code (rangeStart, rangeEnd]}, as views into the series'
 * arrays: floats {@code [floatFrom, floatTo)} and histograms {@code [histFrom, histTo)}, each in time order. Also
 * carries the step's scalar arguments and where to report annotations. Reused for every window; confined to one
 * thread.
 */
public final class RangeWindow {
  /** Float sample timestamps of the whole series. */
  public long[] floatTs;
  /** Float sample values of the whole series. */
  public double[] floatValues;
  /** First float index in the window. */
  public int floatFrom;
  /** End (exclusive) of the floats in the window. */
  public int floatTo;
  /** Number of float samples of the whole series (the arrays may be longer). */
  public int floatCount;
  /** Start timestamps parallel to {@link #floatTs} (0 = unknown), or null when there are none. */
  public long[] floatSt;
  /** Start timestamps parallel to {@link #histTs}, or null. */
  public long[] histSt;
  /** Number of histogram samples of the whole series. */
  public int histTotal;
  /** The lookback delta, for modifiers that look before the window. */
  public long lookbackMillis;
  /** Histogram sample timestamps of the whole series. */
  public long[] histTs;
  /** Histogram samples of the whole series. */
  public FloatHistogram[] histograms;
  /** First histogram index in the window. */
  public int histFrom;
  /** End (exclusive) of the histograms in the window. */
  public int histTo;
  /** Exclusive lower bound of the window. */
  public long rangeStartMillis;
  /** Inclusive upper bound of the window (the evaluation time minus offset). */
  public long rangeEndMillis;
  /** The range of the selector or subquery. */
  public long rangeMillis;
  /** The step's evaluation timestamp (before offset and {@code @}). */
  public long stepMillis;
  /** Scalar arguments of the call at this step (e.g. the quantile), in argument order, matrix argument skipped. */
  public double[] params = new double[2];
  /** The series' metric name, for annotations. */
  public String metricName = "";
  // hasCounterName()'s answer for the name it was last asked about (windows of one series share the name).
  private String counterNameChecked;
  private boolean counterNameAnswer;
  /** Where annotations go. */
  public Annotations annotations;
  /** Query offset of the range argument, for annotation positions. */
  public int argPosition = -1;

  /** Number of float samples in the window. */
  public int floatCount() {
    return floatTo - floatFrom;
  }

  /** Number of histogram samples in the window. */
  public int histCount() {
    return histTo - histFrom;
  }

  /** Raises a warning about the range argument. */
  public void warn(String message) {
    annotations.warn(message, argPosition);
  }

  /** Raises an info annotation about the range argument. */
  public void info(String message) {
    annotations.info(message, argPosition);
  }

  /**
   * Whether the metric name is empty or ends in {@code _total}, {@code _sum}, {@code _count} or {@code _bucket} (a
   * counter by convention); remembered for the series' following windows.
   */
  public boolean hasCounterName() {
    String name = metricName;
    if (name != counterNameChecked) {
      counterNameChecked = name;
      counterNameAnswer = name.isEmpty() || name.endsWith("_total") || name.endsWith("_sum") || name.endsWith("_count")
          || name.endsWith("_bucket");
    }
    return counterNameAnswer;
  }
}
