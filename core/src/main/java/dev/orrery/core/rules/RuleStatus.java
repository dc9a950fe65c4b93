package dev.orrery.core.rules;

import dev.orrery.core.labels.Labels;
import java.time.Duration;
import java.time.Instant;

/** A recording or alerting rule with the outcome of its last evaluation. */
public sealed interface RuleStatus permits AlertingRuleStatus, RecordingRuleStatus {
  /** The record name or alert name. */
  String name();

  /** The PromQL expression as written. */
  String query();

  /** The rule's labels. */
  Labels labels();

  /** {@code ok}, {@code err} or {@code unknown} (not evaluated yet). */
  String health();

  /** Why the last evaluation failed, empty if it did not. */
  String lastError();

  /** How long the last evaluation took. */
  Duration evaluationTime();

  /** When it was last evaluated, {@code null} before. */
  Instant lastEvaluation();

  /** The same rule with other labels. */
  RuleStatus withLabels(Labels newLabels);
}
