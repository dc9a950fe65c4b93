package dev.orrery.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.promql.ast.PromqlPrinter;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canonical form {@code /api/v1/format_query} returns, as Prometheus' {@code String()} ({@code printer.go},
 * {@code printer_test.go}): input and expected output; the output is also a fixed point of parse-then-print.
 */
class ParserPrinterTest {

  private static Arguments p(String in, String out) {
    return Arguments.of(in, out);
  }

  static Stream<Arguments> canonicalForms() {
    return Stream.of(
        p("sum by() (task:errors:rate10s{job=\"s\"})", "sum(task:errors:rate10s{job=\"s\"})"),
        p("sum by(code) (task:errors:rate10s{job=\"s\"})", "sum by (code) (task:errors:rate10s{job=\"s\"})"),
        p("sum without() (x)", "sum without () (x)"),
        p("sum(x) by (a,b)", "sum by (a, b) (x)"),
        p("sum without(instance) (x)", "sum without (instance) (x)"),
        p("topk(5, x)", "topk(5, x)"),
        p("count_values(\"value\", x)", "count_values(\"value\", x)"),
        p("sum by (\"foo bar\", le) (x)", "sum by (\"foo bar\", le) (x)"),
        p("a - on() c", "a - on () c"),
        p("a - on(b) c", "a - on (b) c"),
        p("a - on(b) group_left(x, y) c", "a - on (b) group_left (x, y) c"),
        p("a - on(b) group_left c", "a - on (b) group_left () c"),
        p("a - on(b) group_left() (c)", "a - on (b) group_left () (c)"),
        p("a - ignoring(b) c", "a - ignoring (b) c"),
        p("a - ignoring() c", "a - c"),
        p("a - ignoring() group_right c", "a - ignoring () group_right () c"),
        p("a and on(\"x.y\") b", "a and on (\"x.y\") b"),
        p("up > bool 0", "up > bool 0"),
        p("a + fill(0) b", "a + fill (0) b"),
        p("a + fill_left(1) fill_right(2) b", "a + fill_left (1) fill_right (2) b"),
        p("a + fill_right(-Inf) b", "a + fill_right (-Inf) b"),
        p("a + on(x) group_left fill(1000000) b", "a + on (x) group_left () fill (1e+06) b"),
        p("a offset 1m", "a offset 1m"),
        p("a offset -7m", "a offset -7m"),
        p("a OFFSET 90m", "a offset 1h30m"),
        p("a{c=\"d\"}[5m] offset 1m", "a{c=\"d\"}[5m] offset 1m"),
        p("a[12m] offset -3m", "a[12m] offset -3m"),
        p("a[1h:5m] offset 1m", "a[1h:5m] offset 1m"),
        p("a[1h:]", "a[1h:]"),
        p("a offset 1m @ 10", "a @ 10.000 offset 1m"),
        p("a @ 10", "a @ 10.000"),
        p("a @ -1.5", "a @ -1.500"),
        p("a[1m] @ 10", "a[1m] @ 10.000"),
        p("a @ start()", "a @ start()"),
        p("a[1m] @ end()", "a[1m] @ end()"),
        p("a[1h:1m] offset 5m @ end()", "a[1h:1m] @ end() offset 5m"),
        p("{__name__=\"a\"}", "{__name__=\"a\"}"),
        p("{\"a\"}", "{__name__=\"a\"}"),
        p("{\"my.metric\", \"a.b\"=\"c\"}", "{\"a.b\"=\"c\",__name__=\"my.metric\"}"),
        p("a{z=\"1\", b=~\"2\"}", "a{b=~\"2\",z=\"1\"}"),
        p("a{b!=\"c\"}[1m]", "a{b!=\"c\"}[1m]"),
        p("a{b!~\"c\"}[90s]", "a{b!~\"c\"}[1m30s]"),
        p("a[7d]", "a[1w]"),
        p("a[8d]", "a[8d]"),
        p("a[365d]", "a[1y]"),
        p("a[1500ms]", "a[1s500ms]"),
        p("a[90]", "a[1m30s]"),
        p("rate(x[5m] anchored)", "rate(x[5m] anchored)"),
        p("x[5m] smoothed offset 1m @ 10", "x[5m] smoothed @ 10.000 offset 1m"),
        p("x offset 1m smoothed @ 10", "x @ 10.000 smoothed offset 1m"),
        p("foo[5m+1m]", "foo[5m + 1m]"),
        p("foo[-(10s-5s)+20s]", "foo[-(10s - 5s) + 20s]"),
        p("foo[min_of(step(),1s)]", "foo[min_of(step(), 1s)]"),
        p("foo[STEP()*2:RANGE()]", "foo[step() * 2:range()]"),
        p("foo offset (5)", "foo offset (5)"),
        p("foo offset -step()", "foo offset -step()"),
        p("foo[(5s)]", "foo[(5s)]"),
        p("1e3", "1000"),
        p("0x10", "16"),
        p(".5", "0.5"),
        p("1e-7", "0.0000001"),
        p("1.5e300 > bool 1", "15" + "0".repeat(299) + " > bool 1"),
        p("a + fill(123456) b", "a + fill (123456) b"),
        p("a + fill(0.00001) b", "a + fill (1e-05) b"),
        p("Inf", "+Inf"),
        p("-inf", "-Inf"),
        p("NaN", "NaN"),
        p("-0", "-0"),
        p("Inf ^ 2", "Inf ^ 2"),
        p("5m", "5m"),
        p("-5m", "-5m"),
        p("-a", "-a"),
        p("+a", "+a"),
        p("-(a+b)", "-(a + b)"),
        p("1+2*3", "1 + 2 * 3"),
        p("(1+2)*3", "(1 + 2) * 3"),
        p("h </ 2 >/ on(l) f", "h </ 2 >/ on (l) f"),
        p("holt_winters(x[5m], 0.5, 0.5)", "double_exponential_smoothing(x[5m], 0.5, 0.5)"),
        p("label_join(x,\"a\",\",\",\"b\")", "label_join(x, \"a\", \",\", \"b\")"),
        p("sum(sum)", "sum(sum)"),
        p("'single'", "\"single\""),
        p("`raw\\n`", "\"raw\\\\n\""),
        p("\"\\u00e9\\x07\\x01\\u00a0\\t\"", "\"é\\a\\x01\\u00a0\\t\""),
        p("\"\\xff\"", "\"\\xff\""),
        p("{a=\"\\u2028\"}", "{a=\"\\u2028\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("canonicalForms")
  void printsCanonically(String in, String out) {
    String printed = PromqlParser.parse(in).toString();
    assertThat(printed).isEqualTo(out);
    assertThat(PromqlParser.parse(printed).toString()).isEqualTo(out);
  }

  @Test
  void durationsUseTheLargestExactUnits() {
    assertThat(PromqlPrinter.formatDuration(0)).isEqualTo("0s");
    assertThat(PromqlPrinter.formatDuration(1)).isEqualTo("1ms");
    assertThat(PromqlPrinter.formatDuration(5_400_000)).isEqualTo("1h30m");
    assertThat(PromqlPrinter.formatDuration(14L * 86_400_000)).isEqualTo("2w");
    assertThat(PromqlPrinter.formatDuration(379L * 86_400_000)).isEqualTo("379d");
    assertThat(PromqlPrinter.formatDuration(2L * 365 * 86_400_000)).isEqualTo("2y");
    assertThat(PromqlPrinter.formatDuration(86_400_000L + 1)).isEqualTo("1d1ms");
  }

  @Test
  void numbersFormatLikeGo() {
    assertThat(PromqlPrinter.formatGoFloatF(1e21)).isEqualTo("1000000000000000000000");
    assertThat(PromqlPrinter.formatGoFloatF(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(PromqlPrinter.formatGoFloatF(-0.0)).isEqualTo("-0");
    assertThat(PromqlPrinter.formatGoFloatF(Double.MIN_VALUE)).isEqualTo("0." + "0".repeat(323) + "5");
    assertThat(PromqlPrinter.formatGoFloatF(1e23)).isEqualTo("100000000000000000000000");
  }
}
