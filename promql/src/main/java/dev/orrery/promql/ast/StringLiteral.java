package dev.orrery.promql.ast;

import java.util.Objects;

/**
 * A string literal, with escapes already resolved.
 *
 * @param value the string's value
 * @param positionRange where the literal, quotes included, is in the query
 */
public record StringLiteral(String value, PositionRange positionRange) implements Expr {
  /** Checks for null. */
  public StringLiteral {
    Objects.requireNonNull(value, "value is null");
    Objects.requireNonNull(positionRange, "positionRange is null");
  }

  @Override
  public ValueType type() {
    return ValueType.STRING;
  }

  @Override
  public String toString() {
    return PromqlPrinter.print(this);
  }
}
