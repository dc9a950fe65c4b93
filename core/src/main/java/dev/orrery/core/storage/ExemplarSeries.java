package dev.orrery.core.storage;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Labels;
import java.util.List;

/**
 * The exemplars of one series, in time order.
 *
 * @param seriesLabels the series' labels
 * @param exemplars its exemplars
 */
public record ExemplarSeries(Labels seriesLabels, List<Exemplar> exemplars) {
  /** Checks and copies. */
  public ExemplarSeries {
    requireNonNull(seriesLabels, "seriesLabels is null");
    exemplars = List.copyOf(exemplars);
  }
}
