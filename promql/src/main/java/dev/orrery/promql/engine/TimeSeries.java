package dev.orrery.promql.engine;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.labels.Labels;
import java.util.Objects;

/**
 * One series of a matrix: float points and histogram points in separate primitive-friendly arrays, each in time
 * order (a series may hold both kinds, at different timestamps). Immutable by convention: do not change the arrays.
 */
public record TimeSeries(
    Labels labels,
    long[] floatTimestamps,
    double[] floatValues,
    long[] histogramTimestamps,
    FloatHistogram[] histograms) {

  /** Checks that parallel arrays have equal lengths. */
  public TimeSeries {
    Objects.requireNonNull(labels, "labels is null");
    if (floatTimestamps.length != floatValues.length) {
      throw new IllegalArgumentException("float timestamps and values differ in length");
    }
    if (histogramTimestamps.length != histograms.length) {
      throw new IllegalArgumentException("histogram timestamps and values differ in length");
    }
  }

  /** Number of points of both kinds. */
  public int size() {
    return floatTimestamps.length + histogramTimestamps.length;
  }
}
