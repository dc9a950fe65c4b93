package dev.orrery.promql.rules;

import dev.orrery.core.labels.Labels;
import java.util.Set;

/**
 * What a rule keeps between evaluations: its health and timings for the API, and the series it stored last time, so
 * that the series it no longer produces get a staleness marker. Written by its group's thread, read by the API.
 */
abstract sealed class RuleState permits RecordingRuleState, AlertingRuleState {
  private volatile RuleHealth health = RuleHealth.UNKNOWN;
  private volatile String lastError = "";
  private volatile long lastEvaluationMillis;
  private volatile long evaluationNanos;
  /** The series stored by the last successful evaluation. */
  Set<Labels> lastSeries = Set.of();

  abstract Rule rule();

  RuleHealth health() {
    return health;
  }

  String lastError() {
    return lastError;
  }

  long lastEvaluationMillis() {
    return lastEvaluationMillis;
  }

  long evaluationNanos() {
    return evaluationNanos;
  }

  /**
   * Continues where {@code previous} left off: the same rule (same name and labels) of the group a reload replaced.
   * Takes its health, last error and timings, and the series it stored last, so that the next evaluation marks those
   * it no longer produces stale. Called before this state is evaluated, with {@code previous} no longer evaluated.
   */
  void continueFrom(RuleState previous) {
    health = previous.health;
    lastError = previous.lastError;
    lastEvaluationMillis = previous.lastEvaluationMillis;
    evaluationNanos = previous.evaluationNanos;
    lastSeries = previous.lastSeries;
  }

  void evaluated(long ts, long nanos, String error) {
    lastEvaluationMillis = ts;
    evaluationNanos = nanos;
    lastError = error;
    health = error.isEmpty() ? RuleHealth.OK : RuleHealth.ERR;
  }
}
