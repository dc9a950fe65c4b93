package dev.orrery.promql.parser;

/**
 * The token kinds of PromQL, as Prometheus' {@code ItemType}s. The {@link Kind} decides how a token is described in
 * "unexpected ..." errors, mirroring {@code Item.desc()} in {@code promql/parser/lex.go}.
 */
enum TokenType {
  EOF(Kind.VALUE, "end of input"),
  ERROR(Kind.VALUE, "error"),
  IDENTIFIER(Kind.VALUE, "identifier"),
  METRIC_IDENTIFIER(Kind.VALUE, "metric identifier"),
  NUMBER(Kind.VALUE, "number"),
  DURATION(Kind.VALUE, "duration"),
  STRING(Kind.VALUE, "string"),

  LEFT_PAREN(Kind.PUNCTUATION, "("),
  RIGHT_PAREN(Kind.PUNCTUATION, ")"),
  LEFT_BRACE(Kind.PUNCTUATION, "{"),
  RIGHT_BRACE(Kind.PUNCTUATION, "}"),
  LEFT_BRACKET(Kind.PUNCTUATION, "["),
  RIGHT_BRACKET(Kind.PUNCTUATION, "]"),
  COMMA(Kind.PUNCTUATION, ","),
  EQL(Kind.PUNCTUATION, "="),
  COLON(Kind.PUNCTUATION, ":"),

  ADD(Kind.OPERATOR, "+"),
  SUB(Kind.OPERATOR, "-"),
  MUL(Kind.OPERATOR, "*"),
  DIV(Kind.OPERATOR, "/"),
  MOD(Kind.OPERATOR, "%"),
  POW(Kind.OPERATOR, "^"),
  EQLC(Kind.OPERATOR, "=="),
  NEQ(Kind.OPERATOR, "!="),
  LTE(Kind.OPERATOR, "<="),
  LSS(Kind.OPERATOR, "<"),
  GTE(Kind.OPERATOR, ">="),
  GTR(Kind.OPERATOR, ">"),
  TRIM_UPPER(Kind.OPERATOR, "</"),
  TRIM_LOWER(Kind.OPERATOR, ">/"),
  EQL_REGEX(Kind.OPERATOR, "=~"),
  NEQ_REGEX(Kind.OPERATOR, "!~"),
  AT(Kind.OPERATOR, "@"),
  LAND(Kind.OPERATOR, "and"),
  LOR(Kind.OPERATOR, "or"),
  LUNLESS(Kind.OPERATOR, "unless"),
  ATAN2(Kind.OPERATOR, "atan2"),

  /** Any aggregation operator; {@link Token#text()} says which. */
  AGGREGATOR(Kind.AGGREGATOR, "aggregation"),

  BOOL(Kind.KEYWORD, "bool"),
  BY(Kind.KEYWORD, "by"),
  GROUP_LEFT(Kind.KEYWORD, "group_left"),
  GROUP_RIGHT(Kind.KEYWORD, "group_right"),
  IGNORING(Kind.KEYWORD, "ignoring"),
  OFFSET(Kind.KEYWORD, "offset"),
  SMOOTHED(Kind.KEYWORD, "smoothed"),
  ANCHORED(Kind.KEYWORD, "anchored"),
  ON(Kind.KEYWORD, "on"),
  WITHOUT(Kind.KEYWORD, "without"),
  FILL(Kind.KEYWORD, "fill"),
  FILL_LEFT(Kind.KEYWORD, "fill_left"),
  FILL_RIGHT(Kind.KEYWORD, "fill_right"),

  START(Kind.PREPROCESSOR, "start"),
  END(Kind.PREPROCESSOR, "end"),
  STEP(Kind.PREPROCESSOR, "step"),
  RANGE(Kind.PREPROCESSOR, "range"),
  /** {@code min_of} (or {@code min}) inside a duration expression. */
  MIN_OF(Kind.PREPROCESSOR, "min_of"),
  /** {@code max_of} (or {@code max}) inside a duration expression. */
  MAX_OF(Kind.PREPROCESSOR, "max_of");

  /** How a token type is described in error messages. */
  enum Kind {
    /** Described by kind and text: {@code identifier "foo"}. */
    VALUE,
    /** Described by its quoted text: {@code "("}. */
    PUNCTUATION,
    /** {@code <op:+>} */
    OPERATOR,
    /** {@code <aggr:sum>} */
    AGGREGATOR,
    /** {@code <by>} */
    KEYWORD,
    /** Described by its quoted text: {@code "start"}. */
    PREPROCESSOR
  }

  private final Kind kind;
  private final String text;

  TokenType(Kind kind, String text) {
    this.kind = kind;
    this.text = text;
  }

  Kind kind() {
    return kind;
  }

  /** The canonical text of a fixed token, or the description of a value token ({@code identifier}). */
  String text() {
    return text;
  }
}
