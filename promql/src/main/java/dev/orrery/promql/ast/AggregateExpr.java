package dev.orrery.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * An aggregation such as {@code sum by (job) (x)} or {@code topk(5, x)}.
 *
 * @param op the aggregation operator
 * @param expr the instant vector aggregated over
 * @param param the parameter of {@code topk}, {@code bottomk}, {@code quantile}, {@code count_values}, {@code limitk}
 *     and {@code limit_ratio}; {@code null} for the others
 * @param grouping the label names of {@code by (...)} or {@code without (...)}, in query order
 * @param without true for {@code without}, false for {@code by} or no grouping
 * @param positionRange from the operator to the end of the aggregation, trailing grouping clause included
 */
public record AggregateExpr(
    AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without, PositionRange positionRange)
    implements Expr {
  /** Checks for null (except {@code param}) and copies {@code grouping}. */
  public AggregateExpr {
    Objects.requireNonNull(op, "op is null");
    Objects.requireNonNull(expr, "expr is null");
    grouping = List.copyOf(Objects.requireNonNull(grouping, "grouping is null"));
    Objects.requireNonNull(positionRange, "positionRange is null");
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }

  @Override
  public String toString() {
    return PromqlPrinter.print(this);
  }
}
