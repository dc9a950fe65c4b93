package dev.orrery.promql.exec;

import dev.orrery.core.labels.Labels;

/**
 * An output series of an operator. With delayed name removal (Prometheus 3) a series keeps its {@code __name__} while
 * the query runs and {@code dropName} says the name goes when the result is assembled. Immutable.
 */
public record SeriesInfo(Labels labels, boolean dropName) {
  /** A series whose name stays. */
  public static SeriesInfo of(Labels labels) {
    return new SeriesInfo(labels, false);
  }

  /** The labels as they will be returned: without {@code __name__} when it is to be dropped. */
  public Labels visibleLabels() {
    return dropName ? labels.withoutMetricName() : labels;
  }
}
