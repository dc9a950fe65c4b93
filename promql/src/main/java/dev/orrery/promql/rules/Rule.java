package dev.orrery.promql.rules;

import dev.orrery.promql.ast.Expr;
import java.util.Map;

/** One rule of a {@link RuleGroup}: a {@link RecordingRule} or an {@link AlertingRule}. Immutable. */
public sealed interface Rule permits RecordingRule, AlertingRule {
  /** The recorded metric name, or the alert name. */
  String name();

  /** The PromQL expression as written in the rule file. */
  String exprText();

  /** The parsed expression. */
  Expr expr();

  /** Labels added to (or replacing those of) every result; for alerts these are templates. */
  Map<String, String> labels();
}
