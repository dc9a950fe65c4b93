package dev.orrery.promql.rules;

import dev.orrery.core.labels.Labels;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one alert of an {@link AlertingRule}, as {@code /api/v1/alerts} and {@code /api/v1/rules} show it.
 *
 * @param labels the alert's labels: the series' labels without the metric name, the rule's labels, and {@code
 *     alertname}
 * @param annotations the rule's annotations, expanded for this alert
 * @param state pending, firing or inactive (resolved)
 * @param activeAt when the alert became pending
 * @param firedAt when it started firing, {@code null} before
 * @param resolvedAt when it was resolved, {@code null} before
 * @param keepFiringSince since when it fires only because of {@code keep_firing_for}, {@code null} otherwise
 * @param value the value of its series at the last evaluation
 */
public record Alert(Labels labels, Map<String, String> annotations, AlertState state, Instant activeAt,
    @Nullable Instant firedAt, @Nullable Instant resolvedAt, @Nullable Instant keepFiringSince, double value) {
  /** Checks and copies. */
  public Alert {
    Objects.requireNonNull(labels, "labels is null");
    Objects.requireNonNull(state, "state is null");
    Objects.requireNonNull(activeAt, "activeAt is null");
    annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }
}
