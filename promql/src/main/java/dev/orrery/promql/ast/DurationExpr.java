package dev.orrery.promql.ast;

import java.util.Objects;

/**
 * Experimental duration arithmetic (Prometheus' {@code DurationExpr}) in a range, a subquery step or an offset, e.g.
 * {@code foo[5m + step()]} or {@code foo offset -(1m * 2)}. Operands are {@link NumberLiteral}s (seconds; {@code
 * duration} set when written as a duration) or nested {@code DurationExpr}s. A plain {@code 5m} never becomes a
 * {@code DurationExpr}; it is folded into the owner's millisecond field.
 *
 * @param op the operator
 * @param lhs the left operand of a binary operator; {@code null} for {@code NEGATE}, {@code PLUS}, {@code STEP},
 *     {@code RANGE}
 * @param rhs the right operand of a binary operator or the operand of {@code NEGATE}/{@code PLUS}; {@code null} for
 *     {@code STEP} and {@code RANGE}
 * @param wrapped true when the expression was written in parentheses (printing keeps them)
 * @param positionRange where the expression, parentheses included, is in the query
 */
public record DurationExpr(DurationOp op, Expr lhs, Expr rhs, boolean wrapped, PositionRange positionRange)
    implements Expr {
  /** Checks that the operands fit the operator. */
  public DurationExpr {
    Objects.requireNonNull(op, "op is null");
    Objects.requireNonNull(positionRange, "positionRange is null");
    switch (op) {
      case ADD, SUB, MUL, DIV, MOD, POW, MIN_OF, MAX_OF -> {
        Objects.requireNonNull(lhs, "lhs is null");
        Objects.requireNonNull(rhs, "rhs is null");
      }
      case NEGATE, PLUS -> {
        if (lhs != null) {
          throw new IllegalArgumentException(op + " takes no left operand");
        }
        Objects.requireNonNull(rhs, "rhs is null");
      }
      case STEP, RANGE -> {
        if (lhs != null || rhs != null) {
          throw new IllegalArgumentException(op + " takes no operands");
        }
      }
    }
  }

  /** Always {@link ValueType#SCALAR}: a number of seconds. */
  @Override
  public ValueType type() {
    return ValueType.SCALAR;
  }

  /** The same expression with {@link #wrapped()} set to {@code wrapped}. */
  public DurationExpr withWrapped(boolean wrapped) {
    return new DurationExpr(op, lhs, rhs, wrapped, positionRange);
  }

  /** True when the value depends on the query ({@code step()} or {@code range()} somewhere inside). */
  public boolean dependsOnQuery() {
    return switch (op) {
      case STEP, RANGE -> true;
      case NEGATE, PLUS -> rhs instanceof DurationExpr d && d.dependsOnQuery();
      case ADD, SUB, MUL, DIV, MOD, POW, MIN_OF, MAX_OF ->
          lhs instanceof DurationExpr l && l.dependsOnQuery() || rhs instanceof DurationExpr r && r.dependsOnQuery();
    };
  }

  /**
   * Evaluates the expression in seconds.
   *
   * @param stepSeconds the value of {@code step()}
   * @param rangeSeconds the value of {@code range()}
   * @throws IllegalArgumentException if an operand is neither a number nor a duration expression
   */
  public double evaluateSeconds(double stepSeconds, double rangeSeconds) {
    return switch (op) {
      case STEP -> stepSeconds;
      case RANGE -> rangeSeconds;
      case NEGATE -> -operand(rhs, stepSeconds, rangeSeconds);
      case PLUS -> operand(rhs, stepSeconds, rangeSeconds);
      case ADD -> operand(lhs, stepSeconds, rangeSeconds) + operand(rhs, stepSeconds, rangeSeconds);
      case SUB -> operand(lhs, stepSeconds, rangeSeconds) - operand(rhs, stepSeconds, rangeSeconds);
      case MUL -> operand(lhs, stepSeconds, rangeSeconds) * operand(rhs, stepSeconds, rangeSeconds);
      case DIV -> operand(lhs, stepSeconds, rangeSeconds) / operand(rhs, stepSeconds, rangeSeconds);
      case MOD -> operand(lhs, stepSeconds, rangeSeconds) % operand(rhs, stepSeconds, rangeSeconds);
      case POW -> Math.pow(operand(lhs, stepSeconds, rangeSeconds), operand(rhs, stepSeconds, rangeSeconds));
      case MIN_OF -> Math.min(operand(lhs, stepSeconds, rangeSeconds), operand(rhs, stepSeconds, rangeSeconds));
      case MAX_OF -> Math.max(operand(lhs, stepSeconds, rangeSeconds), operand(rhs, stepSeconds, rangeSeconds));
    };
  }

  private static double operand(Expr e, double stepSeconds, double rangeSeconds) {
    return switch (e) {
      case NumberLiteral n -> n.value();
      case DurationExpr d -> d.evaluateSeconds(stepSeconds, rangeSeconds);
      case ParenExpr p -> operand(p.expr(), stepSeconds, rangeSeconds);
      default -> throw new IllegalArgumentException("not a duration operand: " + e);
    };
  }

  @Override
  public String toString() {
    return PromqlPrinter.print(this);
  }
}
