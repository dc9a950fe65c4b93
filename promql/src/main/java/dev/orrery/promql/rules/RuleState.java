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

  void evaluated(long ts, long nanos, String error) {
    lastEvaluationMillis = ts;
    evaluationNanos = nanos;
    lastError = error;
    health = error.isEmpty() ? RuleHealth.OK : RuleHealth.ERR;
  }
}
