package dev.orrery.promql.ast;

import dev.orrery.core.labels.Matcher;
import java.util.List;
import java.util.Objects;

/**
 * An instant vector selector such as {@code http_requests_total{job="api"} offset 5m @ 1700000000}.
 *
 * <p>As in Prometheus, a metric name written before the braces (or as a lone quoted string inside them) is both
 * {@link #name()} and an {@code __name__="..."} matcher in {@link #matchers()}.
 *
 * @param name the metric name, {@code ""} when the selector has none
 * @param matchers all label matchers in query order, the name's {@code __name__} matcher included
 * @param originalOffsetMillis the {@code offset} as written (negative allowed), 0 when absent; when {@code
 *     offsetExpr} depends on the query ({@code step()}, {@code range()}) it is 0 and the engine computes it
 * @param offsetExpr the offset as a duration expression when it was more than one duration literal, else {@code null}
 * @param timestampMillis the {@code @} time in milliseconds, {@code null} without {@code @} or with {@code @ start()}
 *     / {@code @ end()}
 * @param startOrEnd {@code @ start()} or {@code @ end()}, else {@code null}
 * @param anchored the experimental {@code anchored} modifier
 * @param smoothed the experimental {@code smoothed} modifier
 * @param bypassEmptyMatcherCheck true for the second argument of {@code info()}, which may consist of matchers that
 *     all match the empty string
 * @param positionRange where the selector, modifiers included, is in the query
 */
public record VectorSelector(
    String name,
    List<Matcher> matchers,
    long originalOffsetMillis,
    DurationExpr offsetExpr,
    Long timestampMillis,
    StartOrEnd startOrEnd,
    boolean anchored,
    boolean smoothed,
    boolean bypassEmptyMatcherCheck,
    PositionRange positionRange)
    implements Expr {
  /** Checks for null (except the optional modifiers) and copies {@code matchers}. */
  public VectorSelector {
    Objects.requireNonNull(name, "name is null");
    matchers = List.copyOf(Objects.requireNonNull(matchers, "matchers is null"));
    Objects.requireNonNull(positionRange, "positionRange is null");
    if (timestampMillis != null && startOrEnd != null) {
      throw new IllegalArgumentException("timestampMillis and startOrEnd are exclusive");
    }
  }

  /** A selector without modifiers. */
  public VectorSelector(String name, List<Matcher> matchers, PositionRange positionRange) {
    this(name, matchers, 0, null, null, null, false, false, false, positionRange);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }

  /** True when an {@code @} modifier is present. */
  public boolean hasAt() {
    return timestampMillis != null || startOrEnd != null;
  }

  /** True when an {@code offset} modifier is present. */
  public boolean hasOffset() {
    return originalOffsetMillis != 0 || offsetExpr != null;
  }

  /** This selector with the offset modifier replaced. */
  public VectorSelector withOffset(long originalOffsetMillis, DurationExpr offsetExpr, PositionRange positionRange) {
    return new VectorSelector(name, matchers, originalOffsetMillis, offsetExpr, timestampMillis, startOrEnd,
        anchored, smoothed, bypassEmptyMatcherCheck, positionRange);
  }

  /** This selector with the {@code @} modifier replaced. */
  public VectorSelector withAt(Long timestampMillis, StartOrEnd startOrEnd, PositionRange positionRange) {
    return new VectorSelector(name, matchers, originalOffsetMillis, offsetExpr, timestampMillis, startOrEnd,
        anchored, smoothed, bypassEmptyMatcherCheck, positionRange);
  }

  /** This selector with the {@code anchored}/{@code smoothed} modifiers replaced. */
  public VectorSelector withAnchoredSmoothed(boolean anchored, boolean smoothed, PositionRange positionRange) {
    return new VectorSelector(name, matchers, originalOffsetMillis, offsetExpr, timestampMillis, startOrEnd,
        anchored, smoothed, bypassEmptyMatcherCheck, positionRange);
  }

  /** This selector with {@link #bypassEmptyMatcherCheck()} set as given. */
  public VectorSelector withBypassEmptyMatcherCheck(boolean bypass) {
    return new VectorSelector(name, matchers, originalOffsetMillis, offsetExpr, timestampMillis, startOrEnd,
        anchored, smoothed, bypass, positionRange);
  }

  @Override
  public String toString() {
    return PromqlPrinter.print(this);
  }
}
