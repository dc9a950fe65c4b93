package dev.orrery.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The grammar, case by case, in the spirit of Prometheus' {@code parse_test.go}: each query and the structure it must
 * parse to, written as an S-expression ({@link TreeDump}).
 */
class ParserGrammarTest {

  private static Arguments c(String query, String tree) {
    return Arguments.of(query, tree);
  }

  static Stream<Arguments> numbersAndStrings() {
    return Stream.of(
        c("1", "1"),
        c("+Inf", "+Inf"),
        c("-Inf", "-Inf"),
        c("inf", "+Inf"),
        c("NaN", "NaN"),
        c("nAn", "NaN"),
        c(".5", "0.5"),
        c("5.", "5"),
        c("123.4567", "123.4567"),
        c("5e-3", "0.005"),
        c("5e3", "5000"),
        c("5E+3", "5000"),
        c("0xc", "12"),
        c("0XFF", "255"),
        c("0x_1f", "31"),
        c("0755", "493"),
        c("08", "8"),
        c("+5.5e-3", "0.0055"),
        c("-0755", "-493"),
        c("1_000", "1000"),
        c("1_000.5_5", "1000.55"),
        c("1e-400", "0"),
        c("9223372036854775807", "9223372036854776000"),
        c("0x7fffffffffffffff", "9223372036854776000"),
        c("5m", "dur:5m"),
        c("1h30m", "dur:1h30m"),
        c("-1h", "dur:-1h"),
        c("1y2w", "dur:379d"),
        c("\"double \\\" quoted\"", "\"double \\\" quoted\""),
        c("'single \\' quoted'", "\"single ' quoted\""),
        c("`raw \\n string`", "\"raw \\\\n string\""),
        c("\"\\a\\b\\f\\n\\r\\t\\v\\\\\"", "\"\\a\\b\\f\\n\\r\\t\\v\\\\\""),
        c("\"\\u263a \\U0001F600 \\x41\\101\"", "\"☺ 😀 AA\""),
        c("\"\\xc3\\xa9\"", "\"é\""),
        c("\"☺\"", "\"☺\""),
        c("# a comment\n1 # another\n", "1"));
  }

  static Stream<Arguments> precedence() {
    return Stream.of(
        c("1 + 2 * 3", "(+ 1 (* 2 3))"),
        c("1 * 2 + 3", "(+ (* 1 2) 3)"),
        c("-1^2", "(- (^ 1 2))"),
        c("-1*2", "(* -1 2)"),
        c("-1+2", "(+ -1 2)"),
        c("-1^-2", "(- (^ 1 -2))"),
        c("+1 + -2 * 1", "(+ 1 (* -2 1))"),
        c("1 + 2/(3*1)", "(+ 1 (/ 2 (paren (* 3 1))))"),
        c("1 < bool 2 - 1 * 2", "(< bool 1 (- 2 (* 1 2)))"),
        c("2 ^ 3 ^ 2", "(^ 2 (^ 3 2))"),
        c("1 - 2 - 3", "(- (- 1 2) 3)"),
        c("8 / 4 * 2", "(* (/ 8 4) 2)"),
        c("8 % 3 / 2", "(/ (% 8 3) 2)"),
        c("a atan2 b * c", "(* (atan2 sel:a[__name__=\"a\"] sel:b[__name__=\"b\"]) sel:c[__name__=\"c\"])"),
        c("-a ^ b", "(- (^ sel:a[__name__=\"a\"] sel:b[__name__=\"b\"]))"),
        c("2 * -3 ^ 2", "(* 2 (- (^ 3 2)))"),
        c("- - 1", "1"),
        c("-(1)", "(- (paren 1))"),
        c("a + b == bool c", "(== bool (+ sel:a[__name__=\"a\"] sel:b[__name__=\"b\"]) sel:c[__name__=\"c\"])"),
        c("foo + bar or bla and blub",
            "(or many-to-many (+ sel:foo[__name__=\"foo\"] sel:bar[__name__=\"bar\"]) (and many-to-many "
                + "sel:bla[__name__=\"bla\"] sel:blub[__name__=\"blub\"]))"),
        c("foo and bar unless baz or qux",
            "(or many-to-many (unless many-to-many (and many-to-many sel:foo[__name__=\"foo\"] "
                + "sel:bar[__name__=\"bar\"]) sel:baz[__name__=\"baz\"]) sel:qux[__name__=\"qux\"])"),
        c("bar + on(foo) bla / on(baz, buz) group_right(test) blub",
            "(+ on[foo] sel:bar[__name__=\"bar\"] (/ on[baz, buz] group_right[test] sel:bla[__name__=\"bla\"] "
                + "sel:blub[__name__=\"blub\"]))"),
        c("a </ 2 + 1", "(</ sel:a[__name__=\"a\"] (+ 2 1))"),
        c("h >/ on (label) f", "(>/ on[label] sel:h[__name__=\"h\"] sel:f[__name__=\"f\"])"),
        c("-10^3 * - SUM(x) BY (job) ^ -1",
            "(* (- (^ 10 3)) (- (^ (sum by[job] sel:x[__name__=\"x\"]) -1)))"));
  }

  static Stream<Arguments> selectors() {
    return Stream.of(
        c("foo", "sel:foo[__name__=\"foo\"]"),
        c("min", "sel:min[__name__=\"min\"]"),
        c("foo:bar{a=\"bc\"}", "sel:foo:bar[a=\"bc\", __name__=\"foo:bar\"]"),
        c("{\"foo\"}", "sel:[__name__=\"foo\"]"),
        c("{\"my.metric\", \"a.b\"=\"x\"}", "sel:[__name__=\"my.metric\", a.b=\"x\"]"),
        c("{'foo\\'bar', 'a\\\\dos\\\\path'='boo\\\\urns'}",
            "sel:[__name__=\"foo'bar\", a\\dos\\path=\"boo\\\\urns\"]"),
        c("foo{NaN='bc'}", "sel:foo[NaN=\"bc\", __name__=\"foo\"]"),
        c("foo{bar='}'}", "sel:foo[bar=\"}\", __name__=\"foo\"]"),
        c("foo{a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\",}",
            "sel:foo[a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\", __name__=\"foo\"]"),
        c("{__name__=~\"bar\", __name__!~\"baz\"}", "sel:[__name__=~\"bar\", __name__!~\"baz\"]"),
        c("{\"bar\", __name__=\"baz\"}", "sel:[__name__=\"bar\", __name__=\"baz\"]"),
        c("foo{on=\"x\", by=\"y\", sum=\"z\"}", "sel:foo[on=\"x\", by=\"y\", sum=\"z\", __name__=\"foo\"]"),
        c("offset{step=\"1s\"}[5m]", "(range sel:offset[step=\"1s\", __name__=\"offset\"] 300000ms)"),
        c("anchored{job=\"test\"}", "sel:anchored[job=\"test\", __name__=\"anchored\"]"),
        c("sum(sum)", "(sum sel:sum[__name__=\"sum\"])"),
        c("a + sum", "(+ sel:a[__name__=\"a\"] sel:sum[__name__=\"sum\"])"),
        c("start", "sel:start[__name__=\"start\"]"),
        c("end{start=\"foo\"}", "sel:end[start=\"foo\", __name__=\"end\"]"),
        c("fill + fill(0) other",
            "(+ fill_left=0 fill_right=0 sel:fill[__name__=\"fill\"] sel:other[__name__=\"other\"])"),
        c("other + fill_left(0) fill_left",
            "(+ fill_left=0 sel:other[__name__=\"other\"] sel:fill_left[__name__=\"fill_left\"])"),
        c("foo offset 5m", "sel:foo[__name__=\"foo\"] offset=300000ms"),
        c("foo offset -7m", "sel:foo[__name__=\"foo\"] offset=-420000ms"),
        c("foo OFFSET 1h30m", "sel:foo[__name__=\"foo\"] offset=5400000ms"),
        c("foo offset 1m30ms", "sel:foo[__name__=\"foo\"] offset=60030ms"),
        c("foo offset 3600", "sel:foo[__name__=\"foo\"] offset=3600000ms"),
        c("foo @ 1603774568", "sel:foo[__name__=\"foo\"] @1603774568000"),
        c("foo @ -100", "sel:foo[__name__=\"foo\"] @-100000"),
        c("foo @ .3", "sel:foo[__name__=\"foo\"] @300"),
        c("foo @ 3.3335", "sel:foo[__name__=\"foo\"] @3334"),
        c("foo @ 0xA", "sel:foo[__name__=\"foo\"] @10000"),
        c("foo @ 1m", "sel:foo[__name__=\"foo\"] @60000"),
        c("foo @ start()", "sel:foo[__name__=\"foo\"] @start()"),
        c("foo @ END()", "sel:foo[__name__=\"foo\"] @end()"),
        c("foo @ 123 offset 1m", "sel:foo[__name__=\"foo\"] offset=60000ms @123000"),
        c("foo offset 1m @ 123", "sel:foo[__name__=\"foo\"] offset=60000ms @123000"),
        c("test[5m]", "(range sel:test[__name__=\"test\"] 300000ms)"),
        c("test[1002ms]", "(range sel:test[__name__=\"test\"] 1002ms)"),
        c("test[5]", "(range sel:test[__name__=\"test\"] 5000ms)"),
        c("foo[4.018] @ 2.345", "(range sel:foo[__name__=\"foo\"] @2345 4018ms)"),
        c("test{a=\"b\"}[5y] OFFSET 3d",
            "(range sel:test[a=\"b\", __name__=\"test\"] offset=259200000ms 157680000000ms)"),
        c("test[5m] @ start()", "(range sel:test[__name__=\"test\"] @start() 300000ms)"),
        c("metric smoothed", "sel:metric[__name__=\"metric\"] smoothed"),
        c("rate(metric[1m] anchored)", "(rate (range sel:metric[__name__=\"metric\"] anchored 60000ms))"),
        c("metric @ 100 smoothed + 0", "(+ sel:metric[__name__=\"metric\"] @100000 smoothed 0)"),
        c("metric offset -100 smoothed", "sel:metric[__name__=\"metric\"] offset=-100000ms smoothed"));
  }

  static Stream<Arguments> subqueries() {
    return Stream.of(
        c("foo{bar=\"baz\"}[10m:6s]", "(subquery sel:foo[bar=\"baz\", __name__=\"foo\"] 600000ms 6000ms)"),
        c("foo[10m5s:1h6ms]", "(subquery sel:foo[__name__=\"foo\"] 605000ms 3600006ms)"),
        c("foo[10m:]", "(subquery sel:foo[__name__=\"foo\"] 600000ms 0ms)"),
        c("min_over_time(rate(foo[2s])[5m:] offset 4m)[4m:3s]",
            "(subquery (min_over_time (subquery (rate (range sel:foo[__name__=\"foo\"] 2000ms)) 300000ms 0ms "
                + "offset=240000ms)) 240000ms 3000ms)"),
        c("some_metric OFFSET 1m [10m:5s]",
            "(subquery sel:some_metric[__name__=\"some_metric\"] offset=60000ms 600000ms 5000ms)"),
        c("some_metric[10m:5s] offset 1m @ 123",
            "(subquery sel:some_metric[__name__=\"some_metric\"] 600000ms 5000ms offset=60000ms @123000)"),
        c("(foo + bar{nm=\"val\"})[5m:] @ end()",
            "(subquery (paren (+ sel:foo[__name__=\"foo\"] sel:bar[nm=\"val\", __name__=\"bar\"])) 300000ms 0ms "
                + "@end())"),
        c("sum(x) [30m:10s]", "(subquery (sum sel:x[__name__=\"x\"]) 1800000ms 10000ms)"));
  }

  static Stream<Arguments> durationExpressions() {
    return Stream.of(
        c("foo[5m+1m]", "(range sel:foo[__name__=\"foo\"] (add dur:5m dur:1m))"),
        c("foo[11s+10s-5*2^2]",
            "(range sel:foo[__name__=\"foo\"] (sub (add dur:11s dur:10s) (mul 5 (pow 2 2))))"),
        c("foo[-(10s-5s)+20s]",
            "(range sel:foo[__name__=\"foo\"] (add (negate (sub() dur:10s dur:5s)) dur:20s))"),
        c("foo[-10s+15s]", "(range sel:foo[__name__=\"foo\"] (add dur:-10s dur:15s))"),
        c("foo[step()]", "(range sel:foo[__name__=\"foo\"] (step))"),
        c("foo[  -  step  (  )  ]", "(range sel:foo[__name__=\"foo\"] (negate (step)))"),
        c("foo[STep()+1]", "(range sel:foo[__name__=\"foo\"] (add (step) 1))"),
        c("foo[2m/range()]", "(range sel:foo[__name__=\"foo\"] (div dur:2m (range)))"),
        c("foo[max_of(step(),5s)]", "(range sel:foo[__name__=\"foo\"] (max_of (step) dur:5s))"),
        c("foo[(5s)]", "(range sel:foo[__name__=\"foo\"] (plus() dur:5s))"),
        c("foo[4s+4s:1s*2] offset (5s-8)",
            "(subquery sel:foo[__name__=\"foo\"] (add dur:4s dur:4s) (mul dur:1s 2) offset=(sub() dur:5s 8))"),
        c("foo offset step()", "sel:foo[__name__=\"foo\"] offset=(step)"),
        c("foo offset -step()", "sel:foo[__name__=\"foo\"] offset=(negate (step))"),
        c("foo offset -min_of(5s,step()+8s)",
            "sel:foo[__name__=\"foo\"] offset=(negate (min_of dur:5s (add (step) dur:8s)))"),
        c("foo offset (5)", "sel:foo[__name__=\"foo\"] offset=(plus() 5)"),
        c("foo offset +(5)", "sel:foo[__name__=\"foo\"] offset=(plus() 5)"),
        c("foo offset -(5)", "sel:foo[__name__=\"foo\"] offset=(negate (plus() 5))"),
        c("foo offset -(1^2)", "sel:foo[__name__=\"foo\"] offset=(negate (pow() 1 2))"),
        c("foo offset 5s-8", "(- sel:foo[__name__=\"foo\"] offset=5000ms 8)"),
        c("foo offset -1^1", "(^ sel:foo[__name__=\"foo\"] offset=-1000ms 1)"),
        c("foo offset 100 + 2", "(+ sel:foo[__name__=\"foo\"] offset=100000ms 2)"),
        c("foo offset step()*0", "(* sel:foo[__name__=\"foo\"] offset=(step) 0)"),
        c("foo offset (1m) * 2", "sel:foo[__name__=\"foo\"] offset=(mul (plus() dur:1m) 2)"),
        c("rate(foo[30m+0s])", "(rate (range sel:foo[__name__=\"foo\"] (add dur:30m dur:0s)))"));
  }

  static Stream<Arguments> aggregationsAndCalls() {
    return Stream.of(
        c("sum by (foo)(some_metric)", "(sum by[foo] sel:some_metric[__name__=\"some_metric\"])"),
        c("sum (some_metric) without (foo)", "(sum without[foo] sel:some_metric[__name__=\"some_metric\"])"),
        c("sum by ()(x)", "(sum sel:x[__name__=\"x\"])"),
        c("sum by (foo,bar,)(x)", "(sum by[foo, bar] sel:x[__name__=\"x\"])"),
        c("sum by (\"foo bar\", 'baz')({\"some.metric\"})",
            "(sum by[foo bar, baz] sel:[__name__=\"some.metric\"])"),
        c("sum without(and, by, avg, count, alert, annotations)(x)",
            "(sum without[and, by, avg, count, alert, annotations] sel:x[__name__=\"x\"])"),
        c("SUM(x) BY (job)", "(sum by[job] sel:x[__name__=\"x\"])"),
        c("topk(5, x)", "(topk 5 sel:x[__name__=\"x\"])"),
        c("topk by (instance) (1, x)", "(topk by[instance] 1 sel:x[__name__=\"x\"])"),
        c("count_values(\"value\", x)", "(count_values \"value\" sel:x[__name__=\"x\"])"),
        c("quantile without(point)(0.8, x)", "(quantile without[point] 0.8 sel:x[__name__=\"x\"])"),
        c("limitk(2, x)", "(limitk 2 sel:x[__name__=\"x\"])"),
        c("limit_ratio(-0.5, x)", "(limit_ratio -0.5 sel:x[__name__=\"x\"])"),
        c("group(x)", "(group sel:x[__name__=\"x\"])"),
        c("time()", "(time)"),
        c("rate(x[5m])", "(rate (range sel:x[__name__=\"x\"] 300000ms))"),
        c("round(x)", "(round sel:x[__name__=\"x\"])"),
        c("round(x, 5)", "(round sel:x[__name__=\"x\"] 5)"),
        c("label_join(x, \"d\", \",\", \"a\", \"b\", \"c\")",
            "(label_join sel:x[__name__=\"x\"] \"d\" \",\" \"a\" \"b\" \"c\")"),
        c("holt_winters(x[5m], 0.5, 0.5)",
            "(double_exponential_smoothing (range sel:x[__name__=\"x\"] 300000ms) 0.5 0.5)"),
        c("histogram_quantiles(h, \"q\", 0, 0.5, 1)", "(histogram_quantiles sel:h[__name__=\"h\"] \"q\" 0 0.5 1)"),
        c("info(metric, {data=~\".*\"})", "(info sel:metric[__name__=\"metric\"] sel:[data=~\".*\"])"),
        c("start()", "(start)"),
        c("end() - start()", "(- (end) (start))"),
        c("vector(step())", "(vector (step))"),
        c("min_of(3, 5)", "(min_of 3 5)"),
        c("hour()", "(hour)"),
        c("sort_by_label(x, \"a\", \"b\")", "(sort_by_label sel:x[__name__=\"x\"] \"a\" \"b\")"));
  }

  static Stream<Arguments> vectorMatching() {
    return Stream.of(
        c("foo * on(test,blub) bar",
            "(* on[test, blub] sel:foo[__name__=\"foo\"] sel:bar[__name__=\"bar\"])"),
        c("foo * on(test,blub) group_left bar",
            "(* on[test, blub] group_left[] sel:foo[__name__=\"foo\"] sel:bar[__name__=\"bar\"])"),
        c("foo and on() bar", "(and on[] many-to-many sel:foo[__name__=\"foo\"] sel:bar[__name__=\"bar\"])"),
        c("foo / ignoring(test) group_left(a, b) bar",
            "(/ ignoring[test] group_left[a, b] sel:foo[__name__=\"foo\"] sel:bar[__name__=\"bar\"])"),
        c("foo == 1", "(== sel:foo[__name__=\"foo\"] 1)"),
        c("foo == bool 1", "(== bool sel:foo[__name__=\"foo\"] 1)"),
        c("2.5 / bar", "(/ 2.5 sel:bar[__name__=\"bar\"])"),
        c("1 + on() 2", "(+ 1 2)"),
        c("left + fill_left(5) fill_right(7) right",
            "(+ fill_left=5 fill_right=7 sel:left[__name__=\"left\"] sel:right[__name__=\"right\"])"),
        c("l > bool fill(-Inf) r",
            "(> bool fill_left=-Inf fill_right=-Inf sel:l[__name__=\"l\"] sel:r[__name__=\"r\"])"),
        c("a + ignoring(job) group_left fill(0) b",
            "(+ ignoring[job] group_left[] fill_left=0 fill_right=0 sel:a[__name__=\"a\"] sel:b[__name__=\"b\"])"),
        c("a + on(\"x.y\") group_right(\"w.z\") b",
            "(+ on[x.y] group_right[w.z] sel:a[__name__=\"a\"] sel:b[__name__=\"b\"])"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"numbersAndStrings", "precedence", "selectors", "subqueries", "durationExpressions",
      "aggregationsAndCalls", "vectorMatching"})
  void parsesTo(String query, String tree) {
    assertThat(TreeDump.dump(PromqlParser.parse(query))).isEqualTo(tree);
  }
}
