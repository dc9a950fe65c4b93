package dev.orrery.promql.rules;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A group of rules evaluated together, in order, every {@code interval} (Prometheus' rule group): a rule sees what the
 * rules before it recorded in the same evaluation.
 *
 * @param file the rule file it was read from (for the API and errors)
 * @param name unique within its file
 * @param interval how often the group is evaluated
 * @param limit the most series a rule may produce (0: no limit); more fails the rule's evaluation
 * @param rules the rules, in file order (with the group's labels already in their labels)
 * @param queryOffset how far before each evaluation time the rules query and store (Prometheus' {@code
 *     query_offset}), zero for none
 * @param partialResponse what a query does when a store fails (Thanos' {@code partial_response_strategy})
 */
public record RuleGroup(String file, String name, Duration interval, int limit, List<Rule> rules,
    Duration queryOffset, PartialResponse partialResponse) {
  /** Thanos' {@code partial_response_strategy}: whether a failing store fails the rule or is a warning. */
  public enum PartialResponse {
    /** The query fails (Thanos' default for rules). */
    ABORT,
    /** The query answers from the stores that did, with a warning. */
    WARN
  }

  /** A group without query offset that aborts on a failing store. */
  public RuleGroup(String file, String name, Duration interval, int limit, List<Rule> rules) {
    this(file, name, interval, limit, rules, Duration.ZERO, PartialResponse.ABORT);
  }

  /** Checks and copies. */
  public RuleGroup {
    Objects.requireNonNull(file, "file is null");
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(partialResponse, "partialResponse is null");
    if (queryOffset.isNegative()) {
      throw new IllegalArgumentException("group " + name + ": query_offset must not be negative, got "
          + queryOffset);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("group " + name + ": interval must be positive, got " + interval);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("group " + name + ": limit must not be negative, got " + limit);
    }
    rules = List.copyOf(rules);
  }
}
