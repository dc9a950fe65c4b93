package dev.orrery.core.rules;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Labels;
import java.time.Duration;
import java.time.Instant;

/** A recording rule with the outcome of its last evaluation; the fields are those of {@link RuleStatus}. */
public record RecordingRuleStatus(String name, String query, Labels labels, String health, String lastError,
    Duration evaluationTime, Instant lastEvaluation) implements RuleStatus {
  /** Checks that no required field is null. */
  public RecordingRuleStatus {
    requireNonNull(name, "name is null");
    requireNonNull(query, "query is null");
    requireNonNull(labels, "labels is null");
    requireNonNull(health, "health is null");
    requireNonNull(lastError, "lastError is null");
    requireNonNull(evaluationTime, "evaluationTime is null");
  }

  @Override
  public RecordingRuleStatus withLabels(Labels newLabels) {
    return new RecordingRuleStatus(name, query, newLabels, health, lastError, evaluationTime, lastEvaluation);
  }
}
