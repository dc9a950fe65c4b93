package dev.orrery.promql.ast;

import java.util.Objects;

/**
 * A subquery such as {@code rate(foo[1m])[30m:1m] offset 5m}.
 *
 * @param expr the instant vector or scalar expression evaluated at each subquery step
 * @param rangeMillis the range; 0 when {@code rangeExpr} depends on the query
 * @param rangeExpr the range as a duration expression when it was more than one literal, else {@code null}
 * @param stepMillis the step; 0 when omitted ({@code [30m:]}: the engine's default resolution) or when {@code
 *     stepExpr} depends on the query
 * @param stepExpr the step as a duration expression when it was more than one literal, else {@code null}
 * @param originalOffsetMillis the {@code offset} as written, 0 when absent
 * @param offsetExpr the offset as a duration expression when it was more than one literal, else {@code null}
 * @param timestampMillis the {@code @} time in milliseconds, {@code null} when absent or {@code start()}/{@code end()}
 * @param startOrEnd {@code @ start()} or {@code @ end()}, else {@code null}
 * @param positionRange where the subquery, modifiers included, is in the query
 */
public record SubqueryExpr(
    Expr expr,
    long rangeMillis,
    DurationExpr rangeExpr,
    long stepMillis,
    DurationExpr stepExpr,
    long originalOffsetMillis,
    DurationExpr offsetExpr,
    Long timestampMillis,
    StartOrEnd startOrEnd,
    PositionRange positionRange)
    implements Expr {
  /** Checks for null (except the optional parts). */
  public SubqueryExpr {
    Objects.requireNonNull(expr, "expr is null");
    Objects.requireNonNull(positionRange, "positionRange is null");
    if (timestampMillis != null && startOrEnd != null) {
      throw new IllegalArgumentException("timestampMillis and startOrEnd are exclusive");
    }
  }

  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }

  /** True when an {@code @} modifier is present. */
  public boolean hasAt() {
    return timestampMillis != null || startOrEnd != null;
  }

  /** True when an {@code offset} modifier is present. */
  public boolean hasOffset() {
    return originalOffsetMillis != 0 || offsetExpr != null;
  }

  /** This subquery with the offset modifier replaced. */
  public SubqueryExpr withOffset(long originalOffsetMillis, DurationExpr offsetExpr, PositionRange positionRange) {
    return new SubqueryExpr(expr, rangeMillis, rangeExpr, stepMillis, stepExpr, originalOffsetMillis, offsetExpr,
        timestampMillis, startOrEnd, positionRange);
  }

  /** This subquery with the {@code @} modifier replaced. */
  public SubqueryExpr withAt(Long timestampMillis, StartOrEnd startOrEnd, PositionRange positionRange) {
    return new SubqueryExpr(expr, rangeMillis, rangeExpr, stepMillis, stepExpr, originalOffsetMillis, offsetExpr,
        timestampMillis, startOrEnd, positionRange);
  }

  @Override
  public String toString() {
    return PromqlPrinter.print(this);
  }
}
