package dev.orrery.promql.ast;

import java.util.Objects;

/**
 * A unary {@code -} or {@code +} on a scalar or instant vector. The parser folds a sign directly in front of a number
 * into the {@link NumberLiteral} instead, as Prometheus does.
 *
 * @param op the operator
 * @param expr the operand
 * @param positionRange from the operator to the end of the operand
 */
public record UnaryExpr(UnaryOp op, Expr expr, PositionRange positionRange) implements Expr {
  /** Checks for null. */
  public UnaryExpr {
    Objects.requireNonNull(op, "op is null");
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
