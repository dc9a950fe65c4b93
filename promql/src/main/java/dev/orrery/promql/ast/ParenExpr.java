package dev.orrery.promql.ast;

import java.util.Objects;

/**
 * An expression in parentheses, kept so that printing preserves the grouping.
 *
 * @param expr the inner expression
 * @param positionRange where the expression, parentheses included, is in the query
 */
public record ParenExpr(Expr expr, PositionRange positionRange) implements Expr {
  /** Checks for null. */
  public ParenExpr {
    Objects.requireNonNull(expr, "expr is null");
    Objects.requireNonNull(positionRange, "positionRange is null");
  }

  @Override
  public ValueType type() {
    return expr.type();
  }

  @Override
  public String toString() {
    return PromqlPrinter.print(this);
  }
}
