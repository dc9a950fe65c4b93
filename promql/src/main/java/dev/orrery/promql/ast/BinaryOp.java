package dev.orrery.promql.ast;

/**
 * The binary operators of PromQL with Prometheus' precedence ({@code promql/parser/lex.go}, {@code
 * ItemType.Precedence}): {@code or} 1; {@code and unless} 2; comparisons and the histogram trim operators {@code </}
 * {@code >/} 3; {@code + -} 4; {@code * / % atan2} 5; {@code ^} 6. All are left-associative except {@code ^}.
 */
public enum BinaryOp {
  /** {@code +} */
  ADD("+", 4, Kind.ARITHMETIC),
  /** {@code -} */
  SUB("-", 4, Kind.ARITHMETIC),
  /** {@code *} */
  MUL("*", 5, Kind.ARITHMETIC),
  /** {@code /} */
  DIV("/", 5, Kind.ARITHMETIC),
  /** {@code %} */
  MOD("%", 5, Kind.ARITHMETIC),
  /** {@code atan2} */
  ATAN2("atan2", 5, Kind.ARITHMETIC),
  /** {@code ^}, the only right-associative operator. */
  POW("^", 6, Kind.ARITHMETIC),
  /** {@code ==} */
  EQLC("==", 3, Kind.COMPARISON),
  /** {@code !=} */
  NEQ("!=", 3, Kind.COMPARISON),
  /** {@code >} */
  GTR(">", 3, Kind.COMPARISON),
  /** {@code <} */
  LSS("<", 3, Kind.COMPARISON),
  /** {@code >=} */
  GTE(">=", 3, Kind.COMPARISON),
  /** {@code <=} */
  LTE("<=", 3, Kind.COMPARISON),
  /** {@code </}: trims a native histogram's observations above the right-hand value (Prometheus 3.11). */
  TRIM_UPPER("</", 3, Kind.TRIM),
  /** {@code >/}: trims a native histogram's observations below the right-hand value (Prometheus 3.11). */
  TRIM_LOWER(">/", 3, Kind.TRIM),
  /** {@code and} */
  AND("and", 2, Kind.SET),
  /** {@code or} */
  OR("or", 1, Kind.SET),
  /** {@code unless} */
  UNLESS("unless", 2, Kind.SET);

  /** The lowest precedence of any binary operator. */
  public static final int LOWEST_PRECEDENCE = 1;

  /** The precedence at which unary {@code -}/{@code +} binds (like {@code *}: {@code -a^b} is {@code -(a^b)}). */
  public static final int UNARY_PRECEDENCE = 5;

  private enum Kind {
    ARITHMETIC,
    COMPARISON,
    SET,
    TRIM
  }

  private final String symbol;
  private final int precedence;
  private final Kind kind;

  BinaryOp(String symbol, int precedence, Kind kind) {
    this.symbol = symbol;
    this.precedence = precedence;
    this.kind = kind;
  }

  /** The operator as written in PromQL. */
  public String symbol() {
    return symbol;
  }

  /** Binding strength; higher binds tighter. */
  public int precedence() {
    return precedence;
  }

  /** True only for {@code ^}. */
  public boolean isRightAssociative() {
    return this == POW;
  }

  /** True for {@code == != > < >= <=}, which filter unless {@code bool} is given. */
  public boolean isComparison() {
    return kind == Kind.COMPARISON;
  }

  /** True for {@code and or unless}, which match many-to-many and only between instant vectors. */
  public boolean isSetOperator() {
    return kind == Kind.SET;
  }

  /** True for the native histogram trim operators {@code </} and {@code >/}. */
  public boolean isTrim() {
    return kind == Kind.TRIM;
  }

  /** True for {@code + - * / % ^ atan2}. */
  public boolean isArithmetic() {
    return kind == Kind.ARITHMETIC;
  }
}
