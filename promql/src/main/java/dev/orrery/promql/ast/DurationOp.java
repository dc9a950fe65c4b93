package dev.orrery.promql.ast;

/**
 * The operators of a {@link DurationExpr} (experimental duration arithmetic in ranges, subquery steps and offsets,
 * e.g. {@code foo[5m + step()]}).
 */
public enum DurationOp {
  /** {@code a + b} */
  ADD("+"),
  /** {@code a - b} */
  SUB("-"),
  /** {@code a * b} */
  MUL("*"),
  /** {@code a / b} */
  DIV("/"),
  /** {@code a % b} */
  MOD("%"),
  /** {@code a ^ b} */
  POW("^"),
  /** {@code -a}: unary negation; only the right operand is set. */
  NEGATE("-"),
  /**
   * {@code (a)} around a single literal, or {@code +a}: the operand's value; only the right operand is set. Prometheus
   * keeps it (as a unary {@code +}) so that {@code foo offset (5)} prints back with its parentheses.
   */
  PLUS("+"),
  /** {@code step()}: the query's step; no operands. */
  STEP("step()"),
  /** {@code range()}: the query's range ({@code end - start}); no operands. */
  RANGE("range()"),
  /** {@code min_of(a, b)} */
  MIN_OF("min_of"),
  /** {@code max_of(a, b)} */
  MAX_OF("max_of");

  private final String symbol;

  DurationOp(String symbol) {
    this.symbol = symbol;
  }

  /** The operator or function as written in PromQL. */
  public String symbol() {
    return symbol;
  }

  /** True for the operators with a left and a right operand ({@code + - * / % ^ min_of max_of}). */
  public boolean isBinary() {
    return switch (this) {
      case ADD, SUB, MUL, DIV, MOD, POW, MIN_OF, MAX_OF -> true;
      case NEGATE, PLUS, STEP, RANGE -> false;
    };
  }
}
