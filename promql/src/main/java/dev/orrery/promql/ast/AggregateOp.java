package dev.orrery.promql.ast;

import java.util.Locale;

/** The aggregation operators of PromQL 3.x. */
public enum AggregateOp {
  /** {@code sum} */
  SUM(false, false),
  /** {@code avg} */
  AVG(false, false),
  /** {@code count} */
  COUNT(false, false),
  /** {@code min} */
  MIN(false, false),
  /** {@code max} */
  MAX(false, false),
  /** {@code group} */
  GROUP(false, false),
  /** {@code stddev} */
  STDDEV(false, false),
  /** {@code stdvar} */
  STDVAR(false, false),
  /** {@code topk(k, v)} */
  TOPK(true, false),
  /** {@code bottomk(k, v)} */
  BOTTOMK(true, false),
  /** {@code count_values("label", v)} */
  COUNT_VALUES(true, false),
  /** {@code quantile(φ, v)} */
  QUANTILE(true, false),
  /** {@code limitk(k, v)}: experimental. */
  LIMITK(true, true),
  /** {@code limit_ratio(r, v)}: experimental. */
  LIMIT_RATIO(true, true);

  private final boolean hasParam;
  private final boolean experimental;

  AggregateOp(boolean hasParam, boolean experimental) {
    this.hasParam = hasParam;
    this.experimental = experimental;
  }

  /** The operator's PromQL name, e.g. {@code count_values}. */
  public String symbol() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when the aggregation takes a parameter before the vector ({@code topk(5, ...)}). */
  public boolean hasParam() {
    return hasParam;
  }

  /** True for aggregations Prometheus still marks experimental ({@code limitk}, {@code limit_ratio}). */
  public boolean isExperimental() {
    return experimental;
  }

  /** The type the parameter must have: {@code STRING} for {@code count_values}, else {@code SCALAR}. */
  public ValueType paramType() {
    return this == COUNT_VALUES ? ValueType.STRING : ValueType.SCALAR;
  }

  /**
   * The operator with the given name, case-insensitively as Prometheus' lexer matches keywords.
   *
   * @return the operator, or {@code null} when {@code name} names none
   */
  public static AggregateOp fromName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (AggregateOp op : values()) {
      if (op.symbol().equals(lower)) {
        return op;
      }
    }
    return null;
  }
}
