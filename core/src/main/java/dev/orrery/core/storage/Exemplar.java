package dev.orrery.core.storage;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Labels;

/**
 * An exemplar: a sample a scrape attached to a series' value, with its own labels (usually a trace ID).
 *
 * @param labels the exemplar's labels
 * @param value its value
 * @param timestampMillis its time in milliseconds since the epoch
 */
public record Exemplar(Labels labels, double value, long timestampMillis) {
  /** Checks that the labels are not null. */
  public Exemplar {
    requireNonNull(labels, "labels is null");
  }
}
