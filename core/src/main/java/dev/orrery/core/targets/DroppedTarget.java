package dev.orrery.core.targets;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Labels;

/**
 * A target relabelling dropped.
 *
 * @param discoveredLabels the labels service discovery gave it
 */
public record DroppedTarget(Labels discoveredLabels) {
  /** Checks that the labels are not null. */
  public DroppedTarget {
    requireNonNull(discoveredLabels, "discoveredLabels is null");
  }
}
