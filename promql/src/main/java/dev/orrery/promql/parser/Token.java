package dev.orrery.promql.parser;

import dev.orrery.promql.ast.PositionRange;
import dev.orrery.promql.ast.PromqlPrinter;

/**
 * One token: its type, byte range and text as written (for {@link TokenType#ERROR}, the error message instead).
 */
record Token(TokenType type, int start, int end, String text) {

  PositionRange positionRange() {
    return new PositionRange(start, end);
  }

  /** True for an identifier-like token spelled {@code word}, ignoring case. */
  boolean isWord(String word) {
    return text.equalsIgnoreCase(word) && type != TokenType.STRING && type != TokenType.ERROR;
  }

  /**
   * How Prometheus names this token in "unexpected ..." messages ({@code Item.desc()}): {@code end of input},
   * {@code identifier "foo"}, {@code "("}, {@code <op:+>}, {@code <aggr:sum>}, {@code <by>}, {@code number "1"}.
   */
  String describe() {
    return switch (type.kind()) {
      case VALUE -> switch (type) {
        case EOF -> "end of input";
        case ERROR -> text;
        case IDENTIFIER, METRIC_IDENTIFIER -> type.text() + " " + goQuote(text);
        default -> type.text() + " " + quoteShortened(text);
      };
      case PUNCTUATION, PREPROCESSOR -> quoteShortened(text);
      case OPERATOR -> "<op:" + text + ">";
      case AGGREGATOR -> "<aggr:" + text + ">";
      case KEYWORD -> "<" + text + ">";
    };
  }

  // Go's %q, and %.10q... for values longer than 10 bytes (Item.String()).
  private static String quoteShortened(String s) {
    if (s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 10) {
      int cut = s.offsetByCodePoints(0, Math.min(10, s.codePointCount(0, s.length())));
      return goQuote(s.substring(0, cut)) + "...";
    }
    return goQuote(s);
  }

  static String goQuote(String s) {
    StringBuilder sb = new StringBuilder();
    PromqlPrinter.appendQuoted(sb, s);
    return sb.toString();
  }
}
