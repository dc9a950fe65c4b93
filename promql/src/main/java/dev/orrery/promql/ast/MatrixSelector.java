package dev.orrery.promql.ast;

import java.util.Objects;

/**
 * A range vector selector such as {@code foo[5m]}. Its modifiers ({@code offset}, {@code @}, {@code anchored},
 * {@code smoothed}) live on {@link #vectorSelector()}, as in Prometheus, whether written before or after the range.
 *
 * @param vectorSelector the selected series and modifiers
 * @param rangeMillis the range; when {@code rangeExpr} depends on the query ({@code step()}, {@code range()}) it is 0
 *     and the engine computes it
 * @param rangeExpr the range as a duration expression when it was more than one duration literal, else {@code null}
 * @param positionRange where the selector, range and modifiers included, is in the query
 */
public record MatrixSelector(
    VectorSelector vectorSelector, long rangeMillis, DurationExpr rangeExpr, PositionRange positionRange)
    implements Expr {
  /** Checks for null (except {@code rangeExpr}). */
  public MatrixSelector {
    Objects.requireNonNull(vectorSelector, "vectorSelector is null");
    Objects.requireNonNull(positionRange, "positionRange is null");
  }

  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }

  /** This selector with another vector selector (e.g. after adding modifiers written after the range). */
  public MatrixSelector withVectorSelector(VectorSelector vs, PositionRange positionRange) {
    return new MatrixSelector(vs, rangeMillis, rangeExpr, positionRange);
  }

  @Override
  public String toString() {
    return PromqlPrinter.print(this);
  }
}
