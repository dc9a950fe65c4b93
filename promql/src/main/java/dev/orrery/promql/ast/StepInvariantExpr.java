package dev.orrery.promql.ast;

import java.util.Objects;

/**
 * Marks a sub-tree whose result is the same at every step (e.g. a selector with {@code @}), so the engine evaluates
 * it once. The parser never produces it; the engine's preprocessing wraps nodes in it. It prints as its inner
 * expression.
 *
 * @param expr the step-invariant expression
 */
public record StepInvariantExpr(Expr expr) implements Expr {
  /** Checks for null. */
  public StepInvariantExpr {
    Objects.requireNonNull(expr, "expr is null");
  }

  @Override
  public ValueType type() {
    return expr.type();
  }

  @Override
  public PositionRange positionRange() {
    return expr.positionRange();
  }

  @Override
  public String toString() {
    return PromqlPrinter.print(this);
  }
}
