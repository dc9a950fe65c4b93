package dev.orrery.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Error messages and positions, worded as Prometheus words them ({@code parse_test.go}, {@code lex.go},
 * {@code checkAST}).
 */
class ParserErrorTest {

  private static Arguments e(String query, String message) {
    return Arguments.of(query, message);
  }

  static Stream<Arguments> syntaxErrors() {
    return Stream.of(
        e("", "1:1: parse error: no expression found in input"),
        e("# just a comment\n\n", "1:1: parse error: no expression found in input"),
        e("1+", "1:3: parse error: unexpected end of input"),
        e(".", "1:1: parse error: unexpected character: '.'"),
        e("2.5.", "1:1: parse error: bad number or duration syntax: \"2.5.\""),
        e("100..4", "1:1: parse error: bad number or duration syntax: \"100..\""),
        e("0deadbeef", "1:1: parse error: bad number or duration syntax: \"0de\""),
        e("1 /", "1:4: parse error: unexpected end of input"),
        e("*1", "1:1: parse error: unexpected <op:*>"),
        e("(1))", "1:5: parse error: unexpected right parenthesis ')'"),
        e("((1)", "1:5: parse error: unclosed left parenthesis"),
        e("(", "1:2: parse error: unclosed left parenthesis"),
        e("1 !~ 1", "1:3: parse error: unexpected character after '!': '~'"),
        e("1 =~ 1", "1:3: parse error: unexpected character after '=': '~'"),
        e("*test", "1:1: parse error: unexpected <op:*>"),
        e("@@", "1:1: parse error: unexpected <op:@>"),
        e("a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>"),
        e("{", "1:2: parse error: unexpected end of input inside braces"),
        e("}", "1:1: parse error: unexpected character: '}'"),
        e("some{", "1:6: parse error: unexpected end of input inside braces"),
        e("some}", "1:5: parse error: unexpected character: '}'"),
        e("some_metric{a=b}", "1:15: parse error: unexpected identifier \"b\" in label matching, expected string"),
        e("some_metric{a:b=\"b\"}", "1:14: parse error: unexpected character inside braces: ':'"),
        e("foo{a*\"b\"}", "1:6: parse error: unexpected character inside braces: '*'"),
        e("foo{a>=\"b\"}", "1:6: parse error: unexpected character inside braces: '>'"),
        e("foo{gibberish}",
            "1:14: parse error: unexpected \"}\" in label matching, expected label matching operator"),
        e("foo{1}", "1:5: parse error: unexpected character inside braces: '1'"),
        e("foo{__name__= =}", "1:15: parse error: unexpected \"=\" in label matching, expected string"),
        e("foo{,}", "1:5: parse error: unexpected \",\" in label matching, expected identifier or \"}\""),
        e("foo{__name__ == \"bar\"}", "1:15: parse error: unexpected \"=\" in label matching, expected string"),
        e("foo{__name__=\"bar\" lol}",
            "1:20: parse error: unexpected identifier \"lol\" in label matching, expected \",\" or \"}\""),
        e("foo{\"a\"=}", "1:9: parse error: unexpected \"}\" in label matching, expected string"),
        e("foo{a!b}", "1:6: parse error: unexpected character after '!' inside braces: 'b'"),
        e("foo{{}", "1:5: parse error: unexpected left brace '{'"),
        e("foo[5mm]", "1:5: parse error: bad number or duration syntax: \"5mm\""),
        e("foo[5m1]", "1:5: parse error: bad number or duration syntax: \"5m1\""),
        e("foo[5m:1m1]", "1:8: parse error: bad number or duration syntax: \"1m1\""),
        e("foo[5y1hs]", "1:5: parse error: unknown unit \"hs\" in duration \"5y1hs\""),
        e("foo[5m1h]", "1:5: parse error: not a valid duration string: \"5m1h\""),
        e("foo[5m1m]", "1:5: parse error: not a valid duration string: \"5m1m\""),
        e("foo[0m]", "1:5: parse error: duration must be greater than 0"),
        e("foo[-1]", "1:5: parse error: duration must be greater than 0"),
        e("foo[\"5m\"]", "1:5: parse error: unexpected character in duration expression: '\"'"),
        e("foo[]",
            "1:5: parse error: unexpected \"]\" in subquery or range selector, expected number, duration, step(), "
                + "or range()"),
        e("foo[5m", "1:7: parse error: unclosed left bracket"),
        e("foo{bar=\"baz\"}[", "1:16: parse error: unexpected end of input in duration expression"),
        e("foo[:5m]", "1:5: parse error: unexpected colon before duration in duration expression"),
        e("foo[5m:1m:]", "1:10: parse error: unexpected repeated colon in duration expression"),
        e("foo[5m x]", "1:8: parse error: unexpected character in duration expression: 'x'"),
        e("foo[5m:1m", "1:10: parse error: unclosed left bracket"),
        e("foo[5m 1m]", "1:8: parse error: unexpected duration \"1m\" in subquery or range, expected \":\" or \"]\""),
        e("foo[5m:1m 2]", "1:11: parse error: unexpected number \"2\" in subquery selector, expected \"]\""),
        e("some_metric[5m] OFFSET 1mm", "1:24: parse error: bad number or duration syntax: \"1mm\""),
        e("some_metric[5m] OFFSET",
            "1:23: parse error: unexpected end of input in offset, expected number, duration, step(), or range()"),
        e("foo offset *", "1:12: parse error: unexpected <op:*> in offset, expected number, duration, step(), or "
            + "range()"),
        e("some_metric OFFSET 1m[5m]", "1:22: parse error: no offset modifiers allowed before range"),
        e("some_metric[5m] @", "1:18: parse error: unexpected end of input in @, expected timestamp"),
        e("some_metric @ 1234 [5m]", "1:20: parse error: no @ modifiers allowed before range"),
        e("some_metric @ start() [5m]", "1:23: parse error: no @ modifiers allowed before range"),
        e("some_metric offset step()[5m]", "1:26: parse error: no offset modifiers allowed before range"),
        e("(foo + bar)[5m]", "1:12: parse error: ranges only allowed for vector selectors"),
        e("rate(food[1m])[1h] offset 1h", "1:15: parse error: ranges only allowed for vector selectors"),
        e("foo @ start", "1:12: parse error: unexpected end of input in @, expected timestamp"),
        e("foo @ bar", "1:7: parse error: unexpected identifier \"bar\" in @, expected timestamp"),
        e("1 offset 1d",
            "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector "
                + "selector or a subquery"),
        e("foo offset 1s offset 2s", "1:1: parse error: offset may not be set multiple times"),
        e("rate(some_metric[5m]) @ 1234",
            "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector "
                + "or a subquery"),
        e("foo @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"),
        e("foo @ +Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"),
        e("foo @ -Inf", "1:1: parse error: timestamp out of bounds for @ modifier: -Inf"),
        e("foo @ NaN", "1:1: parse error: timestamp out of bounds for @ modifier: NaN"),
        e("foo @ 9223372036854775808",
            "1:1: parse error: timestamp out of bounds for @ modifier: 9223372036854775808.000000"),
        e("sum without(==)(some_metric)", "1:13: parse error: unexpected <op:==> in grouping opts, expected label"),
        e("sum without(,)(some_metric)", "1:13: parse error: unexpected \",\" in grouping opts, expected label"),
        e("sum without(foo,,)(some_metric)",
            "1:17: parse error: unexpected \",\" in grouping opts, expected label"),
        e("sum some_metric by (test)", "1:5: parse error: unexpected identifier \"some_metric\""),
        e("sum (some_metric) by test",
            "1:22: parse error: unexpected identifier \"test\" in grouping opts, expected \"(\""),
        e("sum by (a b)(x)", "1:11: parse error: unexpected identifier \"b\" in grouping opts, expected \",\" or \")\""),
        e("sum by (a) x", "1:12: parse error: unexpected identifier \"x\" in aggregation"),
        e("sum(rate(x[5m]) y)", "1:17: parse error: unexpected identifier \"y\" in aggregation"),
        e("sum () by (test)", "1:1: parse error: no arguments for aggregate expression provided"),
        e("MIN keep_common (some_metric)", "1:5: parse error: unexpected identifier \"keep_common\""),
        e("MIN (some_metric) keep_common", "1:19: parse error: unexpected identifier \"keep_common\""),
        e("sum (some_metric) without (test) by (test)", "1:34: parse error: unexpected <by>"),
        e("sum without (test) (some_metric) by (test)", "1:34: parse error: unexpected <by>"),
        e("topk(some_metric)",
            "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"),
        e("topk(some_metric,)", "1:17: parse error: trailing commas not allowed in function call args"),
        e("rate(x[5m],)", "1:11: parse error: trailing commas not allowed in function call args"),
        e("rate(x y)", "1:8: parse error: unexpected identifier \"y\""),
        e("non_existent_function_far_bar()",
            "1:1: parse error: unknown function with name \"non_existent_function_far_bar\""),
        e("a>b()", "1:3: parse error: unknown function with name \"b\""),
        e("RATE(x[5m])", "1:1: parse error: unknown function with name \"RATE\""),
        e("-=", "1:2: parse error: unexpected \"=\""),
        e("++-++-+-+-<", "1:11: parse error: unexpected <op:<>"),
        e("e-+=/(0)", "1:4: parse error: unexpected \"=\""),
        e("foo + group_left bar", "1:7: parse error: unexpected <group_left>"),
        e("foo + on bar", "1:10: parse error: unexpected identifier \"bar\" in grouping opts, expected \"(\""),
        e("\"\\", "1:1: parse error: escape sequence not terminated"),
        e("\"\\c\"", "1:1: parse error: unknown escape sequence U+0063 'c'"),
        e("\"\\x.\"", "1:1: parse error: illegal character U+002E '.' in escape sequence"),
        e("\"\\ud800\"", "1:1: parse error: escape sequence is an invalid Unicode code point"),
        e("\"abc", "1:1: parse error: unterminated quoted string"),
        e("\"ab\nc\"", "1:1: parse error: unterminated quoted string"),
        e("`\\``", "1:4: parse error: unterminated raw string"),
        e("sum by (\"foo)(some_metric{})", "1:9: parse error: unterminated quoted string"),
        e("9".repeat(309),
            "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"" + "9".repeat(309)
                + "\": value out of range"),
        e("1e400", "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1e400\": value out of "
            + "range"),
        e("0x", "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"0x\": invalid syntax"),
        e("foo offset 10000000000", "1:12: parse error: duration out of range"),
        e("foo[300y]", "1:5: parse error: duration out of range"),
        e("foo[5m/0]", "1:7: parse error: division by zero"),
        e("foo[5m%0]", "1:7: parse error: modulo by zero"),
        e("foo[foo]", "1:5: parse error: unexpected character in duration expression: 'f'"),
        e("foo offset 1m fill", "1:15: parse error: unexpected identifier \"fill\""),
        e("a + fill(0) fill(1) b", "1:13: parse error: fill modifiers may not be set multiple times"),
        e("a + fill(x) b", "1:10: parse error: unexpected identifier \"x\" in fill modifier, expected number"),
        e("sum(x) anchored",
            "1:1: parse error: anchored modifier must be preceded by an instant vector selector or range vector "
                + "selector"),
        e("x anchored smoothed", "1:1: parse error: anchored and smoothed modifiers cannot be used together"),
        e("info(x, target_info{foo=\"bar\"})",
            "1:9: parse error: expected label selectors only, got vector selector instead"),
        e("info(x, {foo=\"bar\"} == 1)", "1:9: parse error: expected label selectors only"));
  }

  static Stream<Arguments> typeErrors() {
    return Stream.of(
        e("1 and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        e("1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
        e("1 or 1", "1:1: parse error: set operator \"or\" not allowed in binary scalar expression"),
        e("1 unless 1", "1:1: parse error: set operator \"unless\" not allowed in binary scalar expression"),
        e("-\"string\"",
            "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "
                + "\"string\""),
        e("-test[5m]",
            "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "
                + "\"range vector\""),
        e("foo + bool bar", "1:5: parse error: bool modifier can only be used on comparison operators"),
        e("foo + bool 10", "1:5: parse error: bool modifier can only be used on comparison operators"),
        e("foo and bool 10", "1:5: parse error: bool modifier can only be used on comparison operators"),
        e("foo and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        e("1 or on(bar) foo", "1:1: parse error: vector matching only allowed between instant vectors"),
        e("foo == on(bar) 10", "1:1: parse error: vector matching only allowed between instant vectors"),
        e("foo and on(bar) group_left(baz) bar", "1:1: parse error: no grouping allowed for \"and\" operation"),
        e("foo or on(bar) group_right(baz) bar", "1:1: parse error: no grouping allowed for \"or\" operation"),
        e("http_requests{group=\"production\"} + on(instance) group_left(job,instance) cpu_count{type=\"smp\"}",
            "1:35: parse error: label \"instance\" must not occur in ON and GROUP clause at once"),
        e("foo + \"a\"", "1:7: parse error: binary expression must contain only scalar and instant vector types"),
        e("foo[5m] + 1", "1:1: parse error: binary expression must contain only scalar and instant vector types"),
        e("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        e("{x=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        e("{x=~\".*\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        e("{x!~\".+\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        e("{x!=\"a\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        e("-{}-1", "1:2: parse error: vector selector must contain at least one non-empty matcher"),
        e("foo{__name__=\"bar\"}", "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
        e("topk(some_metric, other_metric)",
            "1:6: parse error: expected type scalar in aggregation parameter, got instant vector"),
        e("count_values(5, other_metric)",
            "1:14: parse error: expected type string in aggregation parameter, got scalar"),
        e("sum(x[5m])", "1:5: parse error: expected type instant vector in aggregation expression, got range vector"),
        e("floor()", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 0"),
        e("floor(some_metric, other_metric)", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 2"),
        e("floor(1)", "1:7: parse error: expected type instant vector in call to function \"floor\", got scalar"),
        e("hour(some_metric, some_metric, some_metric)",
            "1:1: parse error: expected at most 1 argument(s) in call to \"hour\", got 3"),
        e("label_join(x)", "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 1"),
        e("time(some_metric)", "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1"),
        e("rate(some_metric)",
            "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        e("rate(avg)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        e("label_replace(x, 1, \"a\", \"b\", \"c\")",
            "1:18: parse error: expected type string in call to function \"label_replace\", got scalar"),
        e("test[5d] OFFSET 10s [10m:5s]",
            "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        e("(foo + bar{nm=\"val\"})[5m:][10m:5s]",
            "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        e("1[5m:1m]", "1:1: parse error: subquery is only allowed on instant vector, got scalar instead"),
        e("a and fill(0) b", "1:3: parse error: fill modifiers are not allowed for set operator \"and\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"syntaxErrors", "typeErrors"})
  void failsWithPrometheusMessage(String query, String message) {
    PromqlParseException e = catchThrowableOfType(PromqlParseException.class, () -> PromqlParser.parse(query));
    assertThat(e).as("parse error for %s", query).isNotNull();
    assertThat(e.getMessage()).isEqualTo(message);
    assertThat(e.positionRange().start()).isBetween(0, query.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void badRegexIsAParseErrorWithGoWording() {
    PromqlParseException e =
        catchThrowableOfType(PromqlParseException.class, () -> PromqlParser.parse("foo{a=~\"(\"}"));
    // The regex text quoted after the colon is core Matcher's compiled form.
    assertThat(e.getMessage()).startsWith("1:5: parse error: error parsing regexp: missing closing ): ");
  }

  @Test
  void invalidUtf8IsAParseErrorAtItsByte() {
    byte[] query = "some_metric{a=\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
    PromqlParseException e = catchThrowableOfType(PromqlParseException.class, () -> PromqlParser.parse(query));
    assertThat(e.getMessage()).isEqualTo("1:15: parse error: invalid UTF-8 rune");
    byte[] bare = {'f', 'o', 'o', ' ', '+', ' ', (byte) 0xC3};
    assertThat(catchThrowableOfType(PromqlParseException.class, () -> PromqlParser.parse(bare)).getMessage())
        .isEqualTo("1:7: parse error: invalid UTF-8 rune");
  }

  @Test
  void unpairedSurrogateInAStringIsInvalidUtf8() {
    PromqlParseException e =
        catchThrowableOfType(PromqlParseException.class, () -> PromqlParser.parse("foo{a=\"x\uD800\"}"));
    assertThat(e.getMessage()).isEqualTo("1:9: parse error: invalid UTF-8 rune");
  }

  @Test
  void positionsCountLinesAndBytes() {
    PromqlParseException e =
        catchThrowableOfType(PromqlParseException.class, () -> PromqlParser.parse("sum(\n  rate(x[5m])\n  +\n)"));
    assertThat(e.getMessage()).isEqualTo("4:1: parse error: unexpected \")\" in aggregation");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.column()).isEqualTo(1);
    assertThat(e.reason()).isEqualTo("unexpected \")\" in aggregation");
    PromqlParseException utf8 = catchThrowableOfType(PromqlParseException.class,
        () -> PromqlParser.parse("{\"é\"=\"x\"} +"));
    assertThat(utf8.getMessage()).isEqualTo("1:13: parse error: unexpected end of input");
  }

  @Test
  void deepNestingIsAParseErrorNotAStackOverflow() {
    String deep = "(".repeat(100_000) + "1" + ")".repeat(100_000);
    assertThat(catchThrowableOfType(PromqlParseException.class, () -> PromqlParser.parse(deep)).reason())
        .startsWith("expression nesting is too deep");
    String chain = "1" + " + 1".repeat(100_000);
    assertThat(catchThrowableOfType(PromqlParseException.class, () -> PromqlParser.parse(chain)).reason())
        .startsWith("expression nesting is too deep");
    String unary = "-".repeat(100_000) + "1";
    assertThat(catchThrowableOfType(PromqlParseException.class, () -> PromqlParser.parse(unary)).reason())
        .startsWith("expression nesting is too deep");
  }
}
