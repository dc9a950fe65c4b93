package dev.orrery.promql.parser;

import dev.orrery.core.labels.Matcher;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.PositionRange;
import dev.orrery.promql.ast.VectorSelector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Parses PromQL text into the AST of {@link dev.orrery.promql.ast}, with the grammar, type checks and error messages
 * of Prometheus 3.x's parser, experimental syntax included (duration arithmetic such as {@code foo[5m + step()]},
 * {@code fill}/{@code fill_left}/{@code fill_right}, {@code anchored}/{@code smoothed}, {@code limitk}, {@code
 * info()} and the experimental functions). {@code holt_winters} is accepted as the 2.x name of {@code
 * double_exponential_smoothing}.
 *
 * {@snippet :
 * Expr e = PromqlParser.parse("sum by (job) (rate(http_requests_total[5m]))");
 * String canonical = e.toString(); // sum by (job) (rate(http_requests_total[5m]))
 * }
 *
 * <p>Every failure is a {@link PromqlParseException}; no other exception escapes for any input. Nesting deeper than
 * {@link #MAX_NESTING_DEPTH} (parentheses, calls, operator chains) is rejected, so no caller walking the tree can
 * overflow the stack. Stateless and thread-safe.
 */
public final class PromqlParser {
  /**
   * The deepest tree (and the deepest nesting of the query text) that the parser accepts. Prometheus has no limit;
   * real queries stay far below it, and the cap keeps every recursive walk of the tree (type checking, printing, the
   * engine) well inside a default 1 MiB thread stack: {@code ParserDepthTest} parses and prints the deepest accepted
   * query of each shape on a 512 KiB stack. An operator chain {@code a or b or c ...} counts one level per operator.
   */
  public static final int MAX_NESTING_DEPTH = 256;

  private PromqlParser() {}

  /**
   * Parses a query.
   *
   * @param query the PromQL text
   * @return the type-checked AST
   * @throws PromqlParseException if the query is not valid PromQL, including unpaired surrogates (which cannot be
   *     UTF-8)
   */
  public static Expr parse(String query) {
    return parse(toUtf8(query));
  }

  /**
   * Parses a query given as UTF-8 bytes, the form positions refer to.
   *
   * @param utf8Query the PromQL text as UTF-8
   * @return the type-checked AST
   * @throws PromqlParseException if the query is not valid PromQL, including invalid UTF-8
   */
  public static Expr parse(byte[] utf8Query) {
    Expr syntax = new Parser(utf8Query, MAX_NESTING_DEPTH).parseQuery();
    checkDepth(syntax, utf8Query);
    return new TypeChecker(utf8Query).check(syntax);
  }

  /**
   * Parses a series selector such as {@code up{job="api"}} or {@code {__name__=~"http_.*"}}, as the {@code match[]}
   * parameter of {@code /api/v1/series} takes it (Prometheus' {@code ParseMetricSelector}).
   *
   * @return the selector's matchers, the metric name's {@code __name__} matcher included
   * @throws PromqlParseException if the text is not a valid vector selector
   */
  public static List<Matcher> parseMetricSelector(String selector) {
    byte[] utf8 = toUtf8(selector);
    // Prometheus' ParseMetricSelector skips the AST checks: an all-empty selector is the caller's to reject (the API
    // says "match[] must contain at least one non-empty matcher").
    VectorSelector vs = new Parser(utf8, MAX_NESTING_DEPTH).parseMetricSelector().withBypassEmptyMatcherCheck(true);
    return ((VectorSelector) new TypeChecker(utf8).check(vs)).matchers();
  }

  private static byte[] toUtf8(String query) {
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < query.length() && Character.isLowSurrogate(query.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        int offset = query.substring(0, i).getBytes(StandardCharsets.UTF_8).length;
        throw new PromqlParseException(new PositionRange(offset, offset + 1), "invalid UTF-8 rune",
            query.substring(0, i).getBytes(StandardCharsets.UTF_8));
      }
    }
    return query.getBytes(StandardCharsets.UTF_8);
  }

  // Iterative, so that a long operator chain (a + b + c + ...) cannot overflow the stack here.
  private static void checkDepth(Expr root, byte[] query) {
    record Frame(Expr expr, int depth) {}
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(root, 1));
    while (!stack.isEmpty()) {
      Frame f = stack.pop();
      if (f.depth() > MAX_NESTING_DEPTH) {
        throw new PromqlParseException(f.expr().positionRange(),
            "expression nesting is too deep (more than " + MAX_NESTING_DEPTH + " levels)", query);
      }
      for (Expr child : f.expr().children()) {
        stack.push(new Frame(child, f.depth() + 1));
      }
    }
  }
}
