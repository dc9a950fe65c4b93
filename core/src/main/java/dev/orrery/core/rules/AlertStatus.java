package dev.orrery.core.rules;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Labels;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One alert of an alerting rule.
 *
 * @param labels the alert's labels
 * @param annotations its annotations, expanded for this alert (kept sorted by name)
 * @param state {@code pending}, {@code firing} or {@code inactive} (resolved)
 * @param activeAt when it became pending, {@code null} when not known
 * @param keepFiringSince since when it fires only because of {@code keep_firing_for}, {@code null} otherwise
 * @param value its series' value at the last evaluation, as Prometheus prints it ({@code 1e+00})
 */
public record AlertStatus(Labels labels, Map<String, String> annotations, String state, Instant activeAt,
    Instant keepFiringSince, String value) {
  /** Checks and copies. */
  public AlertStatus {
    requireNonNull(labels, "labels is null");
    annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    requireNonNull(state, "state is null");
    requireNonNull(value, "value is null");
  }

  /** The same alert with other labels. */
  public AlertStatus withLabels(Labels newLabels) {
    return new AlertStatus(newLabels, annotations, state, activeAt, keepFiringSince, value);
  }
}
