package dev.orrery.promql.rules;

import dev.orrery.promql.ast.Expr;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An alerting rule (Prometheus' {@code alert:}): every series of the expression's result is an alert, pending until
 * it has been present for {@code holdDuration}, then firing; once gone it is resolved, after {@code keepFiringFor}
 * when that is set.
 *
 * @param name the alert name (the {@code alertname} label)
 * @param exprText the expression as written
 * @param expr the parsed expression (an instant vector)
 * @param holdDuration {@code for:}, how long a series must be present before the alert fires
 * @param keepFiringFor {@code keep_firing_for:}, how long a firing alert keeps firing after its series is gone
 * @param labels label templates added to each alert
 * @param annotations annotation templates
 */
public record AlertingRule(String name, String exprText, Expr expr, Duration holdDuration, Duration keepFiringFor,
    Map<String, String> labels, Map<String, String> annotations) implements Rule {
  /** Checks and copies. */
  public AlertingRule {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(exprText, "exprText is null");
    Objects.requireNonNull(expr, "expr is null");
    Objects.requireNonNull(holdDuration, "holdDuration is null");
    Objects.requireNonNull(keepFiringFor, "keepFiringFor is null");
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }
}
