package dev.orrery.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tokens, their kinds and byte positions, after Prometheus' {@code lex_test.go}. */
class LexerTest {

  private static List<String> lex(String input) {
    Lexer lexer = new Lexer(input.getBytes(StandardCharsets.UTF_8));
    List<String> out = new ArrayList<>();
    while (true) {
      Token t = lexer.next();
      out.add(t.type() + "(" + t.text() + ")@" + t.start() + "-" + t.end());
      if (t.type() == TokenType.EOF || t.type() == TokenType.ERROR) {
        return out;
      }
    }
  }

  @Test
  void operatorsAndPunctuation() {
    assertThat(lex("+-*/%^==!=<=<>=>")).containsExactly(
        "ADD(+)@0-1", "SUB(-)@1-2", "MUL(*)@2-3", "DIV(/)@3-4", "MOD(%)@4-5", "POW(^)@5-6", "EQLC(==)@6-8",
        "NEQ(!=)@8-10", "LTE(<=)@10-12", "LSS(<)@12-13", "GTE(>=)@13-15", "GTR(>)@15-16", "EOF()@16-16");
    assertThat(lex("a =~ b")).containsExactly("IDENTIFIER(a)@0-1",
        "ERROR(unexpected character after '=': '~')@2-3");
    assertThat(lex("a </ b >/ c")).containsExactly("IDENTIFIER(a)@0-1", "TRIM_UPPER(</)@2-4", "IDENTIFIER(b)@5-6",
        "TRIM_LOWER(>/)@7-9", "IDENTIFIER(c)@10-11", "EOF()@11-11");
    assertThat(lex("(1),@")).containsExactly("LEFT_PAREN(()@0-1", "NUMBER(1)@1-2", "RIGHT_PAREN())@2-3",
        "COMMA(,)@3-4", "AT(@)@4-5", "EOF()@5-5");
  }

  @Test
  void numbersAndDurations() {
    assertThat(lex("1 0x1F 1e3 .5 5. 1_000 Inf nan 5m 1h30m 100ms 1y")).containsExactly(
        "NUMBER(1)@0-1", "NUMBER(0x1F)@2-6", "NUMBER(1e3)@7-10", "NUMBER(.5)@11-13", "NUMBER(5.)@14-16",
        "NUMBER(1_000)@17-22", "NUMBER(Inf)@23-26", "NUMBER(nan)@27-30", "DURATION(5m)@31-33",
        "DURATION(1h30m)@34-39", "DURATION(100ms)@40-45", "DURATION(1y)@46-48", "EOF()@48-48");
    assertThat(lex("2.5.")).containsExactly("ERROR(bad number or duration syntax: \"2.5.\")@0-4");
  }

  @Test
  void keywordsAreCaseInsensitiveAndIdentifiersMayHaveColons() {
    assertThat(lex("SUM by Offset bool foo:bar start STEP")).containsExactly("AGGREGATOR(SUM)@0-3", "BY(by)@4-6",
        "OFFSET(Offset)@7-13", "BOOL(bool)@14-18", "METRIC_IDENTIFIER(foo:bar)@19-26", "START(start)@27-32",
        "STEP(STEP)@33-37", "EOF()@37-37");
  }

  @Test
  void fillIsAKeywordOnlyBeforeAParenthesis() {
    assertThat(lex("fill + fill (0)")).containsExactly("IDENTIFIER(fill)@0-4", "ADD(+)@5-6", "FILL(fill)@7-11",
        "LEFT_PAREN(()@12-13", "NUMBER(0)@13-14", "RIGHT_PAREN())@14-15", "EOF()@15-15");
  }

  @Test
  void insideBracesKeywordsAreLabelNames() {
    assertThat(lex("{on=\"a\",sum!~'b'}")).containsExactly("LEFT_BRACE({)@0-1", "IDENTIFIER(on)@1-3",
        "EQL(=)@3-4", "STRING(\"a\")@4-7", "COMMA(,)@7-8", "IDENTIFIER(sum)@8-11", "NEQ_REGEX(!~)@11-13",
        "STRING('b')@13-16", "RIGHT_BRACE(})@16-17", "EOF()@17-17");
  }

  @Test
  void insideBracketsOnlyDurationExpressions() {
    assertThat(lex("x[5m + step():min_of(1m, 2)]")).containsExactly("IDENTIFIER(x)@0-1", "LEFT_BRACKET([)@1-2",
        "DURATION(5m)@2-4", "ADD(+)@5-6", "STEP(step)@7-11", "LEFT_PAREN(()@11-12", "RIGHT_PAREN())@12-13",
        "COLON(:)@13-14", "MIN_OF(min_of)@14-20", "LEFT_PAREN(()@20-21", "DURATION(1m)@21-23", "COMMA(,)@23-24",
        "NUMBER(2)@25-26", "RIGHT_PAREN())@26-27", "RIGHT_BRACKET(])@27-28", "EOF()@28-28");
    assertThat(lex("x[foo]")).containsExactly("IDENTIFIER(x)@0-1", "LEFT_BRACKET([)@1-2",
        "ERROR(unexpected character in duration expression: 'f')@2-3");
  }

  @Test
  void commentsAndSpacesAreSkipped() {
    assertThat(lex("# c\n a \t# d\n")).containsExactly("IDENTIFIER(a)@5-6", "EOF()@12-12");
  }

  @Test
  void stringsKeepTheirQuotesAndEscapesAreValidated() {
    assertThat(lex("\"a\\\"b\" `c\\d` 'e'")).containsExactly("STRING(\"a\\\"b\")@0-6", "STRING(`c\\d`)@7-12",
        "STRING('e')@13-16", "EOF()@16-16");
    assertThat(lex("\"\\q\"")).containsExactly("ERROR(unknown escape sequence U+0071 'q')@0-3");
    assertThat(lex("\"\u00e9\"")).containsExactly("STRING(\"\u00e9\")@0-4", "EOF()@4-4");
  }

  @Test
  void errorsStickOnceReported() {
    Lexer lexer = new Lexer("(".getBytes(StandardCharsets.UTF_8));
    assertThat(lexer.next().type()).isEqualTo(TokenType.LEFT_PAREN);
    Token error = lexer.next();
    assertThat(error.text()).isEqualTo("unclosed left parenthesis");
    assertThat(lexer.next()).isSameAs(error);
  }

  @Test
  void stringDecoderResolvesGoEscapes() {
    assertThat(StringLiteralDecoder.decode("\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\"")).isEqualTo("\u0007\b\f\n\r\t\u000b\\\"");
    assertThat(StringLiteralDecoder.decode("'\\''")).isEqualTo("'");
    assertThat(StringLiteralDecoder.decode("\"\\101\\x42\\u0043\\U00000044\"")).isEqualTo("ABCD");
    assertThat(StringLiteralDecoder.decode("\"\\xc3\\xa9\"")).isEqualTo("\u00e9");
    assertThat(StringLiteralDecoder.decode("\"a\\xc5z\"")).isEqualTo("a\uDCC5z");
    assertThat(StringLiteralDecoder.decode("`\\n`")).isEqualTo("\\n");
  }
}
