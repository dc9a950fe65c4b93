package dev.orrery.promql.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.parser.PromqlParser;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/format_query}'s text: Prometheus' {@code Prettify} (split above 100 bytes, two-space indents). */
class HttpQueryFormatterTest {
  private static final String LONG_SELECTOR =
      "http_requests_total{job=\"api-server\", handler=\"/api/v1/query_range\", method=\"GET\", code=\"200\"}";

  private static String format(String q) {
    return QueryFormatter.format(PromqlParser.parse(q));
  }

  private static String print(String q) {
    Expr e = PromqlParser.parse(q);
    return e.toString();
  }

  @Test
  void shortQueriesStayOnOneLineInCanonicalForm() {
    assertThat(format("sum(rate(foo[5m]))by(job)")).isEqualTo("sum by (job) (rate(foo[5m]))");
    assertThat(format("a+b")).isEqualTo("a + b");
  }

  @Test
  void longBinaryExpressionsSplitAtTheOperator() {
    String lhs = "sum(rate(" + LONG_SELECTOR + "[5m]))";
    String rhs = "sum(rate(http_requests_total[5m]))";
    assertThat(format(lhs + " / on (job) group_left " + rhs))
        .isEqualTo("  sum(\n    rate(\n      " + print(LONG_SELECTOR) + "[5m]\n    )\n  )\n/ on (job) group_left ()\n  "
            + print(rhs));
  }

  @Test
  void longAggregationsAndCallsSplitTheirArguments() {
    String q = "topk(5, rate(" + LONG_SELECTOR + "[5m]))";
    assertThat(format(q)).isEqualTo("topk(\n  5,\n  rate(\n    " + print(LONG_SELECTOR) + "[5m]\n  )\n)");
    String grouped = "sum by (job, handler) (rate(" + LONG_SELECTOR + "[5m]))";
    assertThat(format(grouped)).isEqualTo("sum by (job, handler) (\n  rate(\n    " + print(LONG_SELECTOR)
        + "[5m]\n  )\n)");
  }

  @Test
  void parenthesesUnaryAndSubqueriesFollowPrometheus() {
    String q = "-(rate(" + LONG_SELECTOR + "[5m]))";
    assertThat(format(q)).isEqualTo("-(\n  rate(\n    " + print(LONG_SELECTOR) + "[5m]\n  )\n)");
    String sub = "max_over_time(rate(" + LONG_SELECTOR + "[5m])[1h:1m])";
    assertThat(format(sub)).isEqualTo("max_over_time(\n  rate(\n    " + print(LONG_SELECTOR) + "[5m]\n  )[1h:1m]\n)");
  }
}
