package dev.orrery.core.rules;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alerting rule with its alerts and the outcome of its last evaluation; the fields not described here are those
 * of {@link RuleStatus}.
 *
 * @param state the most advanced state of its alerts: {@code firing}, {@code pending} or {@code inactive}
 * @param duration its {@code for:}
 * @param keepFiringFor its {@code keep_firing_for:}
 * @param annotations its annotations as written (kept sorted by name)
 * @param alerts its active alerts
 */
public record AlertingRuleStatus(String state, String name, String query, Duration duration, Duration keepFiringFor,
    Labels labels, Map<String, String> annotations, List<AlertStatus> alerts, String health, String lastError,
    Duration evaluationTime, Instant lastEvaluation) implements RuleStatus {
  /** Checks and copies. */
  public AlertingRuleStatus {
    requireNonNull(state, "state is null");
    requireNonNull(name, "name is null");
    requireNonNull(query, "query is null");
    requireNonNull(duration, "duration is null");
    requireNonNull(keepFiringFor, "keepFiringFor is null");
    requireNonNull(labels, "labels is null");
    annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    alerts = List.copyOf(alerts);
    requireNonNull(health, "health is null");
    requireNonNull(lastError, "lastError is null");
    requireNonNull(evaluationTime, "evaluationTime is null");
  }

  @Override
  public AlertingRuleStatus withLabels(Labels newLabels) {
    return new AlertingRuleStatus(state, name, query, duration, keepFiringFor, newLabels, annotations, alerts, health,
        lastError, evaluationTime, lastEvaluation);
  }

  /** The same rule with other alerts. */
  public AlertingRuleStatus withAlerts(List<AlertStatus> newAlerts) {
    return new AlertingRuleStatus(state, name, query, duration, keepFiringFor, labels, annotations, newAlerts, health,
        lastError, evaluationTime, lastEvaluation);
  }
}
