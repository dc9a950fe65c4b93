package dev.orrery.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.promql.ast.Expr;
import java.nio.charset.StandardCharsets;
import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import java.util.Random;

/**
 * Fuzzing the parser's contract, after Caffeine's {@code CaffeineSpecFuzzer}: for any input it returns a tree or
 * throws {@link PromqlParseException}; no NullPointerException, StackOverflowError, IndexOutOfBoundsException or
 * IllegalArgumentException leaks out. Whatever parses also survives printing: {@code parse(print(parse(q)))} is the
 * same tree.
 */
class ParserFuzzTest {
  private static final String ALPHABET = "abcxyz_:019.eE+-*/%^=!~<>()[]{},\"'`\\@# \t\n"
      + "offsetbywithoutonignoringgroup_leftboolsumratetopk5msm1hdwyNaNInfstep()range()min_of";

  private static final List<String> SEEDS = List.of(
      "sum by (job) (rate(http_requests_total{job=~\"api|web\", code!=\"500\"}[5m]))",
      "histogram_quantile(0.99, sum without (instance) (rate(h_bucket[1m] offset 5m)))",
      "topk(5, x) / on(instance) group_left(owner) y unless z or w and v",
      "-1 ^ 2 * 3 + 4 - 5 % 6 == bool 7 > bool 8",
      "{\"my.metric\", \"a.b\"=\"x\"} @ 1603774568 offset -1h30m",
      "min_over_time(rate(foo[2s])[5m:] offset 4m)[4m:3s] @ end()",
      "count_values(\"v\", x) > bool on() group_right fill(0) y",
      "changes(http_requests[24m+((1.5*2m)+2m)])",
      "sum_over_time(metric1_total[29s+1s:20*500ms] offset -(20*(((((8 - 2) / 3) * 7s) % 4) + 8000ms)))",
      "metric1_total offset -min_of(step(), 1s)^0",
      "increase(metric[1m] anchored) + rate(metric[5m] smoothed)",
      "left_vector + on(job, instance) fill_left(5) fill_right(7) right_vector",
      "label_replace(up, \"dst\", \"value-$1\", \"src\", \"(.*)\")",
      "info(metric, {__name__=~\".+_info\", data=~\".+\"})",
      "limitk(2, x) or limit_ratio(-0.5, y)",
      "h </ 10.0 >/ on (label) f",
      "quantile without(point)(0.8, {__name__=~\"data(_histogram)?\"})",
      "label_join(x, \"d\", 'single \\' quoted', `raw`, \"\\u263a\\x41\")",
      "# comment\nsum(\n  x # trailing\n)",
      "0x1F + 0755 + 1_000 + .5 + 5. + 1e-3 + Inf - NaN",
      "absent_over_time(nonexistent{job=\"myjob\",instance=~\".*\"}[1m])",
      "holt_winters(x[5m], 0.5, 0.1) + double_exponential_smoothing(x[5m], 0.5, 0.1)",
      "start() + end() - range() * step()",
      "sort_by_label_desc(x, \"a\", \"b\")",
      "fill + fill(0) fill");

  private static final String[] TOKENS = {"sum", "(", ")", "[", "]", "{", "}", "x", "1", "5m", "offset", "@",
      "by", "on", "bool", "+", "-", "^", "/", "==", "\"a\"", ",", ":", "rate", "step()", "=~", "group_left",
      "fill(", "anchored", "start()", "1e308", "0x", "'", "`", "#", "\n", "\u00e9", "\uD800"};

  @Test
  void anyStringParsesOrFailsWithAParseError() {
    Properties.check("anyStringParsesOrFailsWithAParseError", 4000,
        r -> checkContract(promqlish(r).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anyUnicodeStringParsesOrFailsWithAParseError() {
    Properties.check("anyUnicodeStringParsesOrFailsWithAParseError", 2000, r -> {
      String query = Generators.string(r, 0, 60);
      try {
        Expr e = PromqlParser.parse(query);
        assertThat(e).isNotNull();
      } catch (PromqlParseException expected) {
        assertThat(expected.getMessage()).contains("parse error: ");
      }
    });
  }

  @Test
  void anyBytesParseOrFailWithAParseError() {
    Properties.check("anyBytesParseOrFailWithAParseError", 2000, r -> checkContract(Generators.bytes(r, 60)));
  }

  @Test
  void mutatedValidQueriesParseOrFailWithAParseError() {
    Properties.check("mutatedValidQueriesParseOrFailWithAParseError", 6000, r -> {
      Random random = new Random(r.nextLong());
      String q = SEEDS.get(random.nextInt(SEEDS.size()));
      int mutations = 1 + random.nextInt(4);
      for (int i = 0; i < mutations; i++) {
        q = mutate(q, random);
      }
      checkContract(q.getBytes(StandardCharsets.UTF_8));
    });
  }

  @Test
  void seedsParse() {
    for (String query : SEEDS) {
      Expr e = PromqlParser.parse(query);
      assertThat(PositionEraser.erase(PromqlParser.parse(e.toString()))).isEqualTo(PositionEraser.erase(e));
    }
  }

  // Either characters from a PromQL-flavoured alphabet, or a sequence of tokens (with a lone surrogate among them).
  private static String promqlish(SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    if (r.nextBoolean()) {
      int n = r.nextInt(61);
      for (int i = 0; i < n; i++) {
        sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
      }
    } else {
      int n = r.nextInt(26);
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          sb.append(' ');
        }
        sb.append(TOKENS[r.nextInt(TOKENS.length)]);
      }
    }
    return sb.toString();
  }

  private static void checkContract(byte[] query) {
    Expr e;
    try {
      e = PromqlParser.parse(query);
    } catch (PromqlParseException expected) {
      assertThat(expected.getMessage()).contains("parse error: ");
      assertThat(expected.positionRange().start()).isBetween(-1, query.length);
      return;
    }
    // What parses must print to a query that parses to the same tree.
    String printed = e.toString();
    Expr again = PromqlParser.parse(printed);
    assertThat(TreeDump.dump(PositionEraser.erase(again)))
        .as("%s reprinted as %s", new String(query, StandardCharsets.UTF_8), printed)
        .isEqualTo(TreeDump.dump(PositionEraser.erase(e)));
    assertThat(PositionEraser.erase(again)).as("reprinted %s", printed).isEqualTo(PositionEraser.erase(e));
  }

  private static String mutate(String q, Random random) {
    if (q.isEmpty()) {
      return "x";
    }
    int i = random.nextInt(q.length());
    int j = Math.min(q.length(), i + 1 + random.nextInt(8));
    String[] inserts = {"(", ")", "[", "]", "{", "}", ",", " ", "-", "+", "*", "^", "offset 1m", "@ 5", "[5m]",
        "[5m:]", "by (a)", "bool", "on()", "group_left", "\"", "'", "`", "\\", "0", "1e", "5m", "step()", "sum",
        "rate(", "anchored", "fill(1)", "#", "\n", "\u00ff", "\uD83D\uDE00", "==", "=~", "!", ":"};
    return switch (random.nextInt(6)) {
      case 0 -> q.substring(0, i) + q.substring(j);
      case 1 -> q.substring(0, i) + inserts[random.nextInt(inserts.length)] + q.substring(i);
      case 2 -> q.substring(0, j) + q.substring(i, j) + q.substring(j);
      case 3 -> q.substring(0, i);
      case 4 -> q.substring(0, i) + (char) (32 + random.nextInt(95)) + q.substring(Math.min(q.length(), i + 1));
      default -> {
        int k = random.nextInt(q.length());
        char[] c = q.toCharArray();
        char t = c[i];
        c[i] = c[k];
        c[k] = t;
        yield new String(c);
      }
    };
  }
}
