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
 * @param rules the rules, in file order
 */
public record RuleGroup(String file, String name, Duration interval, int limit, List<Rule> rules) {
  /** Checks and copies. */
  public RuleGroup {
    Objects.requireNonNull(file, "file is null");
    Objects.requireNonNull(name, "name is null");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("group " + name + ": interval must be positive, got " + interval);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("group " + name + ": limit must not be negative, got " + limit);
    }
    rules = List.copyOf(rules);
  }
}
