package dev.orrery.core.labels;

/** The four label matcher operators of PromQL, with Prometheus' numeric codes (used in Thanos JSON and protos). */
public enum MatchType {
  /** {@code =} */
  EQUAL("="),
  /** {@code !=} */
  NOT_EQUAL("!="),
  /** {@code =~} */
  REGEX("=~"),
  /** {@code !~} */
  NOT_REGEX("!~");

  private final String symbol;

  MatchType(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as written in PromQL. */
  public String symbol() {
    return symbol;
  }

  /** True for {@code !=} and {@code !~}. */
  public boolean isNegative() {
    return this == NOT_EQUAL || this == NOT_REGEX;
  }
}
