package dev.orrery.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Alert templates against Prometheus' behaviour: expected texts come from {@code template/template_test.go} and the
 * template reference, Go's {@code fmt} and {@code text/template} rules, and Go's error messages.
 */
class AlertTemplateTest {
  private static final Map<String, String> LABELS = Map.of("instance", "db-1:9100", "job", "node", "severity", "page");
  private static final Map<String, String> EXTERNAL = Map.of("cluster", "eu-1");

  private static String expand(String text, double value) {
    return AlertTemplate.parse("summary", text).expand(LABELS, EXTERNAL, value);
  }

  private static String expand(String text) {
    return expand(text, 0);
  }

  private static String parseError(String text) {
    try {
      AlertTemplate.parse("summary", text);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    throw new AssertionError("parsed: " + text);
  }

  // --- data ---

  @Test
  void textWithoutActionsIsReturnedUnchanged() {
    AlertTemplate t = AlertTemplate.parse("summary", "plain text with { braces } and $labels");
    assertThat(t.expand(Map.of(), Map.of(), 1)).isEqualTo("plain text with { braces } and $labels");
    assertThat(AlertTemplate.parse("summary", "").expand(LABELS, EXTERNAL, 1)).isEmpty();
  }

  @Test
  void labelsAndExternalLabelsThroughVariablesAndFields() {
    assertThat(expand("{{ $labels.instance }} of job {{ $labels.job }}")).isEqualTo("db-1:9100 of job node");
    assertThat(expand("{{ .Labels.instance }} of job {{ .Labels.job }}")).isEqualTo("db-1:9100 of job node");
    assertThat(expand("{{ $externalLabels.cluster }}/{{ .ExternalLabels.cluster }}")).isEqualTo("eu-1/eu-1");
    assertThat(expand("{{ $.Labels.job }}")).isEqualTo("node");
  }

  @Test
  void missingLabelIsEmpty() {
    assertThat(expand("[{{ $labels.nope }}][{{ .ExternalLabels.nope }}]")).isEqualTo("[][]");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0          | 0",
      "100        | 100",
      "0.5        | 0.5",
      "123456     | 123456",
      "1000000    | 1e+06",
      "1234567    | 1.234567e+06",
      "0.0001     | 0.0001",
      "0.00001    | 1e-05",
      "-2.5       | -2.5",
      "NaN        | NaN",
      "Infinity   | +Inf",
      "-Infinity  | -Inf",
  })
  void valuePrintsAsGoPrintsAFloat64(double value, String expected) {
    assertThat(expand("{{ $value }}", value)).isEqualTo(expected);
    assertThat(expand("{{ .Value }}", value)).isEqualTo(expected);
  }

  @Test
  void mapsPrintInGoFormWithSortedKeys() {
    assertThat(expand("{{ $labels }}")).isEqualTo("map[instance:db-1:9100 job:node severity:page]");
    assertThat(AlertTemplate.parse("t", "{{ .Labels }} {{ . }}").expand(Map.of(), Map.of("b", "2", "a", "1"), 1.5))
        .isEqualTo("map[] {map[] map[a:1 b:2] 1.5}");
  }

  @Test
  void literals() {
    assertThat(expand("{{ 1 }} {{ 1.5 }} {{ 1e3 }} {{ 0x10 }} {{ 017 }} {{ 1_000 }} {{ 'a' }} {{ -2 }}"))
        .isEqualTo("1 1.5 1000 16 15 1000 97 -2");
    assertThat(expand("{{ true }} {{ false }}")).isEqualTo("true false");
    assertThat(expand("{{ \"a\\tb\\u00e9\\x41\\\"\" }}|{{ `raw\\n` }}")).isEqualTo("a\tbéA\"|raw\\n");
  }

  // --- humanize ---

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0                    | 0",
      "1                    | 1",
      "1234567              | 1.235M",
      "-1234567             | -1.235M",
      "0.12                 | 120m",
      "0.00123              | 1.23m",
      "1e-9                 | 1n",
      "999.9                | 999.9",
      "9.223372036854776e18 | 9.223E",
      "1.5e30               | 1.5e+06Y",
  })
  void humanize(double value, String expected) {
    assertThat(expand("{{ $value | humanize }}", value)).isEqualTo(expected);
    assertThat(expand("{{ humanize $value }}", value)).isEqualTo(expected);
  }

  @Test
  void humanizeTakesStringsAndInts() {
    assertThat(expand("{{ humanize \"1234567.0\" }}:{{ humanize \".12\" }}:{{ humanize 1234567 }}"))
        .isEqualTo("1.235M:120m:1.235M");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0        | 0",
      "1        | 1",
      "-1       | -1",
      "0.12     | 0.12",
      "1024     | 1ki",
      "1048576  | 1Mi",
      "1234567  | 1.177Mi",
      "9.223372036854776e18 | 8Ei",
  })
  void humanize1024(double value, String expected) {
    assertThat(expand("{{ humanize1024 $value }}", value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0.1234    | 12.34%",
      "-0.22222  | -22.22%",
      "0         | 0%",
      "0.1234567 | 12.35%",
      "1.23456   | 123.5%",
      "1234567   | 1.235e+08%",
  })
  void humanizePercentage(double value, String expected) {
    assertThat(expand("{{ $value | humanizePercentage }}", value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0        | 0s",
      "1        | 1s",
      "60       | 1m 0s",
      "90       | 1m 30s",
      "3600     | 1h 0m 0s",
      "86400    | 1d 0h 0m 0s",
      "90000    | 1d 1h 0m 0s",
      "172805   | 2d 0h 0m 5s",
      "-183845  | -2d 3h 4m 5s",
      "899.99   | 14m 59s",
      "1234567  | 14d 6h 56m 7s",
      "0.5      | 500ms",
      "0.1      | 100ms",
      "0.0001   | 100us",
      "0.12345  | 123.5ms",
      "60.5     | 1m 0s",
      "1.2345   | 1.234s",
      "12.345   | 12.35s",
  })
  void humanizeDuration(double seconds, String expected) {
    assertThat(expand("{{ humanizeDuration $value }}", seconds)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0              | 1970-01-01 00:00:00 +0000 UTC",
      "-1             | 1969-12-31 23:59:59 +0000 UTC",
      "1704067200     | 2024-01-01 00:00:00 +0000 UTC",
      "1435065584.128 | 2015-06-23 13:19:44.128 +0000 UTC",
      "1435065584.5   | 2015-06-23 13:19:44.5 +0000 UTC",
      "9223372036     | 2262-04-11 23:47:16 +0000 UTC",
  })
  void humanizeTimestamp(double seconds, String expected) {
    assertThat(expand("{{ $value | humanizeTimestamp }}", seconds)).isEqualTo(expected);
  }

  @Test
  void humanizeFunctionsPassInfinitiesAndNaNThrough() {
    String text = "{{ humanize $value }}:{{ humanize1024 $value }}:{{ humanizeDuration $value }}:"
        + "{{ humanizeTimestamp $value }}";
    assertThat(expand(text, Double.POSITIVE_INFINITY)).isEqualTo("+Inf:+Inf:+Inf:+Inf");
    assertThat(expand(text, Double.NEGATIVE_INFINITY)).isEqualTo("-Inf:-Inf:-Inf:-Inf");
    assertThat(expand(text, Double.NaN)).isEqualTo("NaN:NaN:NaN:NaN");
  }

  // --- Go's %g and printf ---

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1234567    | 4  | 1.235e+06",
      "100        | 4  | 100",
      "0.5        | 4  | 0.5",
      "123.45     | 4  | 123.5",
      "1234       | 4  | 1234",
      "12345      | 4  | 1.234e+04",
      "99999      | 4  | 1e+05",
      "0.0001234  | 4  | 0.0001234",
      "0.00001234 | 4  | 1.234e-05",
      "1e21       | 4  | 1e+21",
      "0          | 4  | 0",
      "-0.0       | 4  | -0",
      "1          | 4  | 1",
      "2.5        | 1  | 2",
      "3.5        | 1  | 4",
      "123456     | -1 | 123456",
      "1000000    | -1 | 1e+06",
      "0.1        | -1 | 0.1",
      "1.5e-7     | -1 | 1.5e-07",
  })
  void goPercentGKeepsSignificantDigitsAndDropsTrailingZeros(double value, int precision, String expected) {
    assertThat(GoFormat.formatFloat(value, 'g', precision)).isEqualTo(expected);
  }

  @Test
  void goFixedAndExponentFormsRoundTheExactBinaryValueHalfToEven() {
    // 2.675 is 2.67499999... in binary; 0.125 is exact and rounds to even.
    assertThat(GoFormat.formatFloat(2.675, 'f', 2)).isEqualTo("2.67");
    assertThat(GoFormat.formatFloat(0.125, 'f', 2)).isEqualTo("0.12");
    assertThat(GoFormat.formatFloat(-0.001, 'f', 2)).isEqualTo("-0.00");
    assertThat(GoFormat.formatFloat(1234.5678, 'e', 2)).isEqualTo("1.23e+03");
    assertThat(GoFormat.formatFloat(0, 'e', 3)).isEqualTo("0.000e+00");
    assertThat(GoFormat.formatFloat(1e100, 'e', 0)).isEqualTo("1e+100");
  }

  @Test
  void printfVerbs() {
    assertThat(expand("{{ printf \"%.2f\" $value }}", 3.14159)).isEqualTo("3.14");
    assertThat(expand("{{ printf \"%s is %d%%\" $labels.job 42 }}")).isEqualTo("node is 42%");
    assertThat(expand("{{ printf \"%v|%g|%f|%e\" $value $value $value $value }}", 1e6))
        .isEqualTo("1e+06|1e+06|1000000.000000|1.000000e+06");
    assertThat(expand("{{ printf \"%q %q\" $labels.job 65 }}")).isEqualTo("\"node\" 'A'");
    assertThat(expand("{{ printf \"[%5.1f][%-6s][%05d][%+d][%x][%X][%t][%6.2f]\" "
        + "3.14159 \"ab\" 42 7 255 255 true -1.5 }}"))
        .isEqualTo("[  3.1][ab    ][00042][+7][ff][FF][true][ -1.50]");
    assertThat(expand("{{ printf \"%.3s|%T|%T|%v\" \"abcdef\" 1 $value $labels }}"))
        .isEqualTo("abc|int|float64|map[instance:db-1:9100 job:node severity:page]");
    assertThat(expand("{{ $value | printf \"%.1f%%\" }}", 99.44)).isEqualTo("99.4%");
  }

  @Test
  void printfMisuseGivesGoTexts() {
    assertThat(expand("{{ printf \"%d\" $labels.job }}")).isEqualTo("%!d(string=node)");
    assertThat(expand("{{ printf \"%d\" $value }}", 1.5)).isEqualTo("%!d(float64=1.5)");
    assertThat(expand("{{ printf \"%s %s\" \"a\" }}")).isEqualTo("a %!s(MISSING)");
    assertThat(expand("{{ printf \"%s\" \"a\" 2 \"b\" }}")).isEqualTo("a%!(EXTRA int=2, string=b)");
    assertThat(expand("{{ printf \"100%\" }}")).isEqualTo("100%!(NOVERB)");
    assertThat(expand("{{ printf \"%z\" 1 }}")).isEqualTo("%!z(int=1)");
  }

  // --- control and functions ---

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"90 | high", "60 | medium", "10 | low"})
  void ifElseIfElse(double value, String expected) {
    String text = "{{ if gt $value 80.0 }}high{{ else if gt $value 50.0 }}medium{{ else }}low{{ end }}";
    assertThat(expand(text, value)).isEqualTo(expected);
  }

  @Test
  void comparisons() {
    assertThat(expand("{{ if eq $labels.severity \"page\" }}PAGE{{ end }}")).isEqualTo("PAGE");
    assertThat(expand("{{ eq $labels.job \"a\" \"b\" \"node\" }} {{ ne 1 2 }} {{ lt \"a\" \"b\" }}"))
        .isEqualTo("true true true");
    assertThat(expand("{{ le 2 2 }} {{ ge 1.5 2.5 }} {{ gt $value 0.5 }} {{ eq $value 1.0 }}", 1))
        .isEqualTo("true false true true");
    assertThat(expand("{{ lt $value 1.0 }} {{ eq $value $value }}", Double.NaN)).isEqualTo("false false");
  }

  @Test
  void andOrNotReturnOperandsAsGoDoes() {
    assertThat(expand("{{ or $labels.nope \"default\" }}|{{ and $labels.job $labels.nope }}|{{ and 1 2 }}"))
        .isEqualTo("default||2");
    assertThat(expand("{{ not true }} {{ not \"\" }}")).isEqualTo("false true");
    assertThat(expand("{{ if and (gt $value 1.0) (lt $value 10.0) }}in{{ else }}out{{ end }}", 5)).isEqualTo("in");
    assertThat(expand("{{ $labels.nope | or \"piped\" }}")).isEqualTo("piped");
  }

  @Test
  void ifUsesGoTruth() {
    String text = "{{ if 0 }}a{{ end }}{{ if \"\" }}b{{ end }}{{ if $labels }}c{{ end }}"
        + "{{ if $externalLabels }}d{{ end }}{{ if $labels.nope }}e{{ else }}f{{ end }}{{ if $value }}g{{ end }}"
        + "{{ if 0.0 }}h{{ end }}";
    assertThat(AlertTemplate.parse("t", text).expand(LABELS, Map.of(), Double.NaN)).isEqualTo("cfg");
  }

  @Test
  void trimMarkersAndComments() {
    assertThat(expand("a  {{- $labels.job -}}  b")).isEqualTo("anodeb");
    assertThat(expand("a {{- /* a comment */ -}} \n b")).isEqualTo("ab");
    assertThat(expand("a{{/* note\n spanning lines */}}b")).isEqualTo("ab");
    assertThat(expand("{{ if true -}}\n  yes\n{{- end }}")).isEqualTo("yes");
    assertThat(expand("x {{-3}}")).isEqualTo("x -3");
  }

  @Test
  void stringFunctions() {
    assertThat(expand("{{ \"aa bb CC\" | title }}|{{ \"aa bb CC\" | toUpper }}|{{ \"aA bB CC\" | toLower }}"))
        .isEqualTo("Aa Bb CC|AA BB CC|aa bb cc");
    assertThat(expand("{{ title \"hello-world foo_bar\" }}|{{ toUpper \"straße\" }}"))
        .isEqualTo("Hello-World Foo_bar|STRAßE");
    assertThat(expand("{{ len $labels }} {{ len \"héllo\" }} {{ index $labels \"job\" }}[{{ index $labels \"x\" }}]"))
        .isEqualTo("3 6 node[]");
  }

  @Test
  void regularExpressions() {
    assertThat(expand("{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}")).isEqualTo("xa");
    assertThat(expand("{{ reReplaceAll \":.*\" \"\" $labels.instance }}")).isEqualTo("db-1");
    assertThat(expand("{{ $labels.instance | reReplaceAll \"(?P<host>[^:]+):(\\\\d+)\" \"${host} port $2 $$\" }}"))
        .isEqualTo("db-1 port 9100 $");
    // Go skips an empty match right after a match, and reads $1x as a group named "1x".
    assertThat(expand("{{ reReplaceAll \"a*\" \"-\" \"baaac\" }}|{{ reReplaceAll \"(b)\" \"$1x\" \"abc\" }}"))
        .isEqualTo("-b-c-|ac");
    assertThat(expand("{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }} {{ match \"^db-\" $labels.instance }}"))
        .isEqualTo("true false true");
  }

  @Test
  void parsedTemplateExpandsManyTimes() {
    AlertTemplate t = AlertTemplate.parse("summary", "{{ $labels.instance }}: {{ $value | humanize }}");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("instance", "a");
    assertThat(t.expand(labels, Map.of(), 1500)).isEqualTo("a: 1.5k");
    labels.put("instance", "b");
    assertThat(t.expand(labels, Map.of(), 0.002)).isEqualTo("b: 2m");
    assertThat(t.name()).isEqualTo("summary");
  }

  // --- errors ---

  @Test
  void parseErrorsNameTheTemplateAndLine() {
    assertThat(parseError("{{ query \"up\" }}")).isEqualTo("template: summary:1: function \"query\" not defined");
    assertThat(parseError("{{ $value }")).isEqualTo("template: summary:1: unexpected \"}\" in operand");
    assertThat(parseError("{{")).isEqualTo("template: summary:1: unclosed action");
    assertThat(parseError("{{ $labels.job ")).isEqualTo("template: summary:1: unclosed action");
    assertThat(parseError("line one\n{{ $labels.job\n\n"))
        .isEqualTo("template: summary:4: unclosed action started at summary:2");
    assertThat(parseError("a\nb\n{{ nope }}")).isEqualTo("template: summary:3: function \"nope\" not defined");
    assertThat(parseError("{{\u00a0}}")).isEqualTo("template: summary:1: unrecognized character in action: U+00A0");
    assertThat(parseError("{{ \"open }}")).isEqualTo("template: summary:1: unterminated quoted string");
    assertThat(parseError("{{ 3x }}")).isEqualTo("template: summary:1: bad number syntax: \"3x\"");
    assertThat(parseError("{{ \"\\q\" }}")).isEqualTo("template: summary:1: invalid syntax");
    assertThat(parseError("{{/* open")).isEqualTo("template: summary:1: unclosed comment");
  }

  @Test
  void structureErrors() {
    assertThat(parseError("{{ end }}")).isEqualTo("template: summary:1: unexpected {{end}}");
    assertThat(parseError("{{ else }}")).isEqualTo("template: summary:1: unexpected {{else}}");
    assertThat(parseError("{{ if true }}x")).isEqualTo("template: summary:1: unexpected EOF");
    assertThat(parseError("{{ if }}x{{ end }}")).isEqualTo("template: summary:1: missing value for if");
    assertThat(parseError("{{ }}")).isEqualTo("template: summary:1: missing value for command");
    assertThat(parseError("{{ 1 | 2 }}")).isEqualTo("template: summary:1: non executable command in pipeline stage 2");
    assertThat(parseError("{{ if true }}{{ else }}{{ else }}{{ end }}"))
        .isEqualTo("template: summary:1: expected end; found {{else}}");
  }

  @Test
  void unsupportedActionsAreParseErrors() {
    assertThat(parseError("{{ range $labels }}{{ . }}{{ end }}"))
        .isEqualTo("template: summary:1: {{range}} is not supported in alert templates");
    assertThat(parseError("{{ with $labels.job }}{{ . }}{{ end }}"))
        .isEqualTo("template: summary:1: {{with}} is not supported in alert templates");
    assertThat(parseError("{{ define \"x\" }}y{{ end }}"))
        .isEqualTo("template: summary:1: {{define}} is not supported in alert templates");
    assertThat(parseError("{{ template \"x\" }}"))
        .isEqualTo("template: summary:1: {{template}} is not supported in alert templates");
    assertThat(parseError("{{ block \"x\" . }}y{{ end }}"))
        .isEqualTo("template: summary:1: {{block}} is not supported in alert templates");
    assertThat(parseError("{{ $x := 1 }}"))
        .isEqualTo("template: summary:1: declaring or assigning variables ($x := ...) is not supported in alert "
            + "templates");
    assertThat(parseError("{{ $externalURL }}")).isEqualTo("template: summary:1: undefined variable \"$externalURL\"");
    assertThat(parseError("{{ nil }}")).isEqualTo("template: summary:1: nil is not supported in alert templates");
  }

  @Test
  void unknownFieldsAndWrongCallsAreParseErrors() {
    assertThat(parseError("{{ .Foo }}")).isEqualTo("template: summary:1: can't evaluate field Foo in type struct { "
        + "Labels map[string]string; ExternalLabels map[string]string; Value float64 }");
    assertThat(parseError("{{ $value.foo }}"))
        .isEqualTo("template: summary:1: can't evaluate field foo in type float64");
    assertThat(parseError("{{ $labels.job.x }}"))
        .isEqualTo("template: summary:1: can't evaluate field x in type string");
    assertThat(parseError("{{ humanize }}"))
        .isEqualTo("template: summary:1: wrong number of args for humanize: want 1 got 0");
    assertThat(parseError("{{ $value | humanize 1 }}"))
        .isEqualTo("template: summary:1: wrong number of args for humanize: want 1 got 2");
    assertThat(parseError("{{ printf }}"))
        .isEqualTo("template: summary:1: wrong number of args for printf: want at least 1 got 0");
    assertThat(parseError("{{ $labels.job | $value }}"))
        .isEqualTo("template: summary:1: can't give argument to non-function $value");
  }

  @Test
  void executionErrorsGivePrometheusErrorText() {
    assertThat(AlertTemplate.parse("test", "{{ humanize \"one\" }}").expand(LABELS, EXTERNAL, 0))
        .isEqualTo("<error expanding template: error executing template test: template: test:1:3: executing \"test\" "
            + "at <humanize \"one\">: error calling humanize: strconv.ParseFloat: parsing \"one\": invalid syntax>");
    assertThat(AlertTemplate.parse("test", "{{ \"one\" | humanizePercentage }}").expand(LABELS, EXTERNAL, 0))
        .isEqualTo("<error expanding template: error executing template test: template: test:1:11: executing \"test\" "
            + "at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing \"one\": "
            + "invalid syntax>");
  }

  @Test
  void executionErrorsNameTheNodeAndItsPosition() {
    String prefix = "<error expanding template: error executing template summary: template: summary:";
    // A number literal without a point is a Go int, which Go refuses to compare with a float64.
    assertThat(expand("{{ if gt $value 80 }}x{{ end }}", 90))
        .isEqualTo(prefix + "1:6: executing \"summary\" at <gt $value 80>: error calling gt: incompatible types for "
            + "comparison>");
    assertThat(expand("{{ $value | toUpper }}"))
        .isEqualTo(prefix + "1:12: executing \"summary\" at <toUpper>: wrong type for value; expected string; got "
            + "float64>");
    assertThat(expand("{{ toUpper 1 }}"))
        .isEqualTo(prefix + "1:11: executing \"summary\" at <1>: expected string; found 1>");
    assertThat(expand("{{ reReplaceAll \"(a\" \"x\" \"a\" }}"))
        .isEqualTo(prefix + "1:3: executing \"summary\" at <reReplaceAll \"(a\" \"x...>: error calling reReplaceAll: "
            + "regexp: Compile(`(a`): error parsing regexp: missing closing ): `(a`>");
    assertThat(expand("x\n  {{ len $value }}"))
        .isEqualTo(prefix + "2:5: executing \"summary\" at <len $value>: error calling len: len of type float64>");
    assertThat(expand("{{ humanize $labels }}"))
        .isEqualTo(prefix + "1:3: executing \"summary\" at <humanize $labels>: error calling humanize: can't convert "
            + "map[string]string to float>");
    assertThat(expand("{{ humanizeTimestamp 1e300 }}"))
        .isEqualTo(prefix + "1:3: executing \"summary\" at <humanizeTimestamp 1e...>: error calling "
            + "humanizeTimestamp: 1e+300 cannot be represented as a nanoseconds timestamp since it overflows int64>");
  }

  @Test
  void nullArgumentsAreRejected() {
    assertThatThrownBy(() -> AlertTemplate.parse("t", null)).isInstanceOf(NullPointerException.class);
    AlertTemplate t = AlertTemplate.parse("t", "{{ 1 }}");
    assertThatThrownBy(() -> t.expand(null, Map.of(), 1)).isInstanceOf(NullPointerException.class);
  }
}
