package dev.orrery.promql.plan;

import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.VectorSelector;
import java.util.List;
import java.util.Set;

/**
 * A query's logical plan: the AST after the optimisers ran, with the query time range they saw. Immutable.
 *
 * @param root the optimised expression
 * @param context the time range and step the plan is for
 * @param statsOnlySelectors selectors (by identity) whose histograms are only needed as count and sum
 */
public record LogicalPlan(Expr root, PlanContext context, Set<VectorSelector> statsOnlySelectors) {

  /** Applies {@code optimizers} in order to {@code expr}. */
  public static LogicalPlan create(Expr expr, long startMillis, long endMillis, long stepMillis,
      List<Optimizer> optimizers) {
    PlanContext c = new PlanContext(startMillis, endMillis, stepMillis);
    Expr e = expr;
    for (Optimizer o : optimizers) {
      e = o.optimize(e, c);
    }
    return new LogicalPlan(e, c, HistogramStatsDetection.statsOnlySelectors(e));
  }

  /** The plan as PromQL (step-invariant parts are printed as written). */
  @Override
  public String toString() {
    return root.toString();
  }
}
