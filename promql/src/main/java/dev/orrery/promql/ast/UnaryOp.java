package dev.orrery.promql.ast;

/** The unary operators of PromQL. */
public enum UnaryOp {
  /** {@code +x}: the identity. */
  ADD("+"),
  /** {@code -x}: negation. */
  SUB("-");

  private final String symbol;

  UnaryOp(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as written in PromQL. */
  public String symbol() {
    return symbol;
  }
}
