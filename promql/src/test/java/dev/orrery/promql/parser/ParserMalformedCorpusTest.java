package dev.orrery.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every query of {@code malformed-queries.txt} (truncated, wrong types, bad durations, unknown functions, deep
 * nesting, huge numbers, invalid UTF-8) fails with a {@link PromqlParseException} whose position lies in the query
 * and whose message starts with {@code line:column: parse error: }.
 */
class ParserMalformedCorpusTest {
  private static final Pattern PREFIX = Pattern.compile("^\\d+:\\d+: parse error: .+", Pattern.DOTALL);

  /** One corpus entry: the line it came from and the query bytes. */
  record Entry(int line, String source, byte[] query) {}

  static List<Entry> corpus() throws IOException {
    List<Entry> out = new ArrayList<>();
    try (InputStream in = ParserMalformedCorpusTest.class.getResourceAsStream("malformed-queries.txt")) {
      assertThat(in).as("malformed-queries.txt on the test class path").isNotNull();
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String l = lines[i];
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        out.add(new Entry(i + 1, l, decode(l)));
      }
    }
    return out;
  }

  private static byte[] decode(String line) {
    if (line.startsWith("hex:")) {
      return HexFormat.of().parseHex(line.substring(4));
    }
    if (line.startsWith("deep:")) {
      String[] parts = line.split(":", 5);
      int n = Integer.parseInt(parts[1]);
      return (parts[2].repeat(n) + parts[3] + parts[4].repeat(n)).getBytes(StandardCharsets.UTF_8);
    }
    return line.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void corpusHasAtLeast200Queries() throws IOException {
    assertThat(corpus()).hasSizeGreaterThanOrEqualTo(200);
  }

  @TestFactory
  Stream<DynamicTest> everyMalformedQueryFailsWithAPosition() throws IOException {
    return corpus().stream().map(entry -> DynamicTest.dynamicTest(
        "line " + entry.line() + ": " + abbreviate(entry.source()), () -> {
          Throwable t = catchThrowable(() -> PromqlParser.parse(entry.query()));
          assertThat(t).as("query on line %d", entry.line()).isInstanceOf(PromqlParseException.class);
          PromqlParseException e = (PromqlParseException) t;
          assertThat(e.getMessage()).matches(PREFIX);
          assertThat(e.positionRange().start()).isBetween(0, entry.query().length);
          assertThat(e.line()).isPositive();
          assertThat(e.column()).isPositive();
        }));
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
