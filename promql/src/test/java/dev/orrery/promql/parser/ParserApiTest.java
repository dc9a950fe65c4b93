package dev.orrery.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.orrery.core.labels.Matcher;
import dev.orrery.promql.ast.AggregateOp;
import dev.orrery.promql.ast.BinaryExpr;
import dev.orrery.promql.ast.Call;
import dev.orrery.promql.ast.DurationExpr;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.Function;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.PositionRange;
import dev.orrery.promql.ast.SubqueryExpr;
import dev.orrery.promql.ast.ValueType;
import dev.orrery.promql.ast.VectorSelector;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public surface the engine and the HTTP API rely on: entry points, positions, types, the function table. */
class ParserApiTest {

  @Test
  void metricSelectorsForMatchParameters() {
    assertThat(PromqlParser.parseMetricSelector("up{job=\"api\"}")).containsExactly(Matcher.equal("job", "api"),
        Matcher.equal("__name__", "up"));
    assertThat(PromqlParser.parseMetricSelector("{__name__=~\"http_.*\"}"))
        .containsExactly(Matcher.regex("__name__", "http_.*"));
    assertThat(catchThrowableOfType(PromqlParseException.class, () -> PromqlParser.parseMetricSelector("up + 1"))
        .getMessage()).isEqualTo("1:4: parse error: unexpected <op:+>");
    // As Prometheus' ParseMetricSelector: an all-empty selector parses; the HTTP API rejects it for match[].
    assertThat(PromqlParser.parseMetricSelector("{}")).isEmpty();
  }

  @Test
  void positionsAreByteOffsets() {
    BinaryExpr b = (BinaryExpr) PromqlParser.parse("rate({\"é\"}[5m]) + foo{a=\"b\"} offset 1m");
    assertThat(b.lhs().positionRange()).isEqualTo(new PositionRange(0, 16));
    assertThat(b.rhs().positionRange()).isEqualTo(new PositionRange(19, 39));
    assertThat(b.positionRange()).isEqualTo(new PositionRange(0, 39));
    Call c = (Call) PromqlParser.parse("rate(foo[5m] offset 1m)");
    assertThat(c.args().getFirst().positionRange()).isEqualTo(new PositionRange(5, 22));
  }

  @Test
  void typesFollowPrometheus() {
    assertThat(PromqlParser.parse("1 + 2").type()).isEqualTo(ValueType.SCALAR);
    assertThat(PromqlParser.parse("foo + 2").type()).isEqualTo(ValueType.VECTOR);
    assertThat(PromqlParser.parse("foo[5m]").type()).isEqualTo(ValueType.MATRIX);
    assertThat(PromqlParser.parse("foo[5m:]").type()).isEqualTo(ValueType.MATRIX);
    assertThat(PromqlParser.parse("\"s\"").type()).isEqualTo(ValueType.STRING);
    assertThat(PromqlParser.parse("scalar(foo)").type()).isEqualTo(ValueType.SCALAR);
    assertThat(PromqlParser.parse("(-(foo))").type()).isEqualTo(ValueType.VECTOR);
  }

  @Test
  void vectorMatchingIsDroppedUnlessBothSidesAreVectors() {
    assertThat(((BinaryExpr) PromqlParser.parse("foo + 1")).matching()).isNull();
    assertThat(((BinaryExpr) PromqlParser.parse("foo + bar")).matching()).isNotNull();
    assertThat(((BinaryExpr) PromqlParser.parse("1 + on() 2")).matching()).isNull();
  }

  @Test
  void constantDurationExpressionsAreAlsoPrecomputed() {
    MatrixSelector m = (MatrixSelector) PromqlParser.parse("foo[5m + 30s]");
    assertThat(m.rangeMillis()).isEqualTo(330_000);
    assertThat(m.rangeExpr()).isNotNull();
    MatrixSelector s = (MatrixSelector) PromqlParser.parse("foo[step() * 2]");
    assertThat(s.rangeMillis()).isZero();
    assertThat(s.rangeExpr().dependsOnQuery()).isTrue();
    assertThat(s.rangeExpr().evaluateSeconds(15, 3600)).isEqualTo(30);
    SubqueryExpr q = (SubqueryExpr) PromqlParser.parse("foo[1h:] offset -(range() / 2)");
    DurationExpr offset = q.offsetExpr();
    assertThat(offset.evaluateSeconds(60, 7200)).isEqualTo(-3600);
    assertThat(((VectorSelector) PromqlParser.parse("foo offset (1m)")).originalOffsetMillis()).isEqualTo(60_000);
  }

  @Test
  void functionTableHasEveryPrometheus3Function() {
    List<String> names = List.of("abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan",
        "atanh", "avg_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min", "cos", "cosh",
        "count_over_time", "days_in_month", "day_of_month", "day_of_week", "day_of_year", "deg", "delta", "deriv",
        "double_exponential_smoothing", "end", "exp", "first_over_time", "floor", "histogram_avg",
        "histogram_count", "histogram_fraction", "histogram_quantile", "histogram_quantiles", "histogram_stddev",
        "histogram_stdvar", "histogram_sum", "hour", "idelta", "increase", "info", "integral", "irate",
        "label_join", "label_replace", "last_over_time", "ln", "log10", "log2", "mad_over_time", "max_of",
        "max_over_time", "min_of", "min_over_time", "minute", "month", "pi", "predict_linear", "present_over_time",
        "quantile_over_time", "rad", "range", "rate", "resets", "round", "scalar", "sgn", "sin", "sinh", "sort",
        "sort_by_label", "sort_by_label_desc", "sort_desc", "sqrt", "start", "start_timestamp", "stddev_over_time",
        "stdvar_over_time", "step", "sum_over_time", "tan", "tanh", "time", "timestamp", "ts_of_first_over_time",
        "ts_of_last_over_time", "ts_of_max_over_time", "ts_of_min_over_time", "vector", "year");
    assertThat(Arrays.stream(Function.values()).map(Function::functionName).toList())
        .containsExactlyInAnyOrderElementsOf(names);
    for (String n : names) {
      assertThat(Function.fromName(n)).as(n).isNotNull();
    }
    assertThat(Function.fromName("holt_winters")).isEqualTo(Function.DOUBLE_EXPONENTIAL_SMOOTHING);
    assertThat(Function.fromName("RATE")).isNull();
    assertThat(Function.LABEL_JOIN.maxArgs()).isEqualTo(Integer.MAX_VALUE);
    assertThat(Function.ROUND.minArgs()).isEqualTo(1);
    assertThat(Function.HISTOGRAM_QUANTILES.maxArgs()).isEqualTo(12);
    assertThat(Function.RATE.argType(0)).isEqualTo(ValueType.MATRIX);
    assertThat(AggregateOp.fromName("Count_Values")).isEqualTo(AggregateOp.COUNT_VALUES);
  }

  @Test
  void childrenWalkTheTree() {
    Expr e = PromqlParser.parse("sum by (a) (rate(x[5m])) / on() group_left topk(3, y)");
    assertThat(e.children()).hasSize(2);
    assertThat(e.children().get(1).children()).hasSize(2);
  }
}
