package dev.orrery.promql.engine;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.labels.Labels;
import java.util.Objects;

/**
 * One element of an instant vector: labels, timestamp and either a float value or a native histogram. Immutable.
 *
 * @param histogram the histogram value, or {@code null} for a float sample (then {@code value} holds the float)
 */
public record Sample(Labels labels, long timestampMillis, double value, FloatHistogram histogram) {
  /** Checks the labels. */
  public Sample {
    Objects.requireNonNull(labels, "labels is null");
  }

  /** True when the sample holds a histogram. */
  public boolean isHistogram() {
    return histogram != null;
  }
}
