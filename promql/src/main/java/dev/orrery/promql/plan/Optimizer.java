package dev.orrery.promql.plan;

import dev.orrery.promql.ast.Expr;

/** A rewrite of the logical plan that keeps its meaning. Implementations are stateless and thread-safe. */
public interface Optimizer {
  /** The rewritten plan. */
  Expr optimize(Expr root, PlanContext context);

  /** The default optimisers, in the order they run. */
  static java.util.List<Optimizer> defaults() {
    return java.util.List.of(new SortMatchers(), new StepInvariants());
  }
}
