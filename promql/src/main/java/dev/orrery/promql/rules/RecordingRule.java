package dev.orrery.promql.rules;

import dev.orrery.promql.ast.Expr;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A recording rule: every evaluation stores the expression's result as series named {@code name}, with the rule's
 * labels set on each (Prometheus' {@code record:}).
 *
 * @param name the metric name to record under
 * @param exprText the expression as written
 * @param expr the parsed expression (an instant vector or a scalar)
 * @param labels labels set on every recorded series
 */
public record RecordingRule(String name, String exprText, Expr expr, Map<String, String> labels) implements Rule {
  /** Checks and copies. */
  public RecordingRule {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(exprText, "exprText is null");
    Objects.requireNonNull(expr, "expr is null");
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
  }
}
