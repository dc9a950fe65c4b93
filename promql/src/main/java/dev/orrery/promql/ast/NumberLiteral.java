package dev.orrery.promql.ast;

import java.util.Objects;

/**
 * A number: {@code 1}, {@code -2.5e3}, {@code 0x1f}, {@code Inf}, {@code NaN}, or a duration used as a number of
 * seconds ({@code 5m} is 300).
 *
 * @param value the value; for a duration, in seconds
 * @param duration true when the literal was written as a duration and prints as one ({@code 5m}, not {@code 300})
 * @param positionRange where the literal (including a folded leading sign) is in the query
 */
public record NumberLiteral(double value, boolean duration, PositionRange positionRange) implements Expr {
  /** Checks for null. */
  public NumberLiteral {
    Objects.requireNonNull(positionRange, "positionRange is null");
  }

  /** A plain number (not a duration). */
  public NumberLiteral(double value, PositionRange positionRange) {
    this(value, false, positionRange);
  }

  @Override
  public ValueType type() {
    return ValueType.SCALAR;
  }

  @Override
  public String toString() {
    return PromqlPrinter.print(this);
  }
}
