package dev.orrery.promql.http;

import dev.orrery.promql.ast.PromqlPrinter;

/** Go's {@code %q} / {@code strconv.Quote}, which Prometheus' error messages use for values. */
final class GoQuote {
  private GoQuote() {}

  /** {@code s} in double quotes with Go's escaping. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    PromqlPrinter.appendQuoted(sb, s);
    return sb.toString();
  }
}
