package dev.orrery.core.rules;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A rule group with its rules and the outcome of its last evaluation.
 *
 * @param name the group's name
 * @param file the file it was loaded from
 * @param rules its rules, in the order they are shown
 * @param interval how often it is evaluated
 * @param limit its alert or series limit, 0 for none
 * @param queryOffset how far back its queries look (Prometheus 3's {@code query_offset}), zero for none
 * @param partialResponseStrategy Thanos' {@code WARN} or {@code ABORT} for the group, {@code null} when not known
 * @param evaluationTime how long its last evaluation took
 * @param lastEvaluation when it was last evaluated, {@code null} before
 */
public record RuleGroupStatus(String name, String file, List<RuleStatus> rules, Duration interval, long limit,
    Duration queryOffset, String partialResponseStrategy, Duration evaluationTime,
    Instant lastEvaluation) {
  /** Checks and copies. */
  public RuleGroupStatus {
    requireNonNull(name, "name is null");
    requireNonNull(file, "file is null");
    rules = List.copyOf(rules);
    requireNonNull(interval, "interval is null");
    requireNonNull(queryOffset, "queryOffset is null");
    requireNonNull(evaluationTime, "evaluationTime is null");
  }

  /** The same group with other rules. */
  public RuleGroupStatus withRules(List<RuleStatus> newRules) {
    return new RuleGroupStatus(name, file, newRules, interval, limit, queryOffset, partialResponseStrategy,
        evaluationTime, lastEvaluation);
  }
}
