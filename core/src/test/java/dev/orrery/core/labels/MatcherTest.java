package dev.orrery.core.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatcherTest {
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "foo;foo;true", "foo;foobar;false", "foo.*;foobar;true", "foo.*;xfoo;false", ".*bar.*;xbarx;true",
      "a|b;c;false", "api|web;web;true", "(?i)API;api;true", ".*;'';true", ".+;'';false",
      "[0-9]+;123;true", "[0-9]+;12a;false", "foo;'';false", "a|;'';true"})
  void regexIsAnchoredWithGoSyntax(String re, String value, boolean expected) {
    assertThat(Matcher.regex("l", re).matches(value)).isEqualTo(expected);
    assertThat(Matcher.notRegex("l", re).matches(value)).isEqualTo(!expected);
  }

  @Test
  void dotMatchesNewlineAsInPrometheus3() {
    assertThat(Matcher.regex("l", "a.c").matches("a\nc")).isTrue();
    assertThat(Matcher.regex("l", ".*x.*").matches("a\nxb")).isTrue();
  }

  @Test
  void alternationOfLiteralsIsASetMatcher() {
    Matcher m = Matcher.regex("job", "api|web|db");
    assertThat(m.setMatches()).containsExactly("api", "web", "db");
    assertThat(m.matches("web")).isTrue();
    assertThat(m.matches("we")).isFalse();
    assertThat(Matcher.regex("job", "api.*").setMatches()).isNull();
  }

  @Test
  void emptyValueRules() {
    assertThat(Matcher.equal("a", "").matchesEmpty()).isTrue();
    assertThat(Matcher.notEqual("a", "").matchesEmpty()).isFalse();
    assertThat(Matcher.regex("a", ".*").matchesEmpty()).isTrue();
    assertThat(Matcher.regex("a", "x|").matchesEmpty()).isTrue();
    assertThat(Matcher.notRegex("a", "x").matchesEmpty()).isTrue();
    assertThat(Matcher.regex("a", ".+").isPresenceMatcher()).isTrue();
    assertThat(Matcher.notEqual("a", "").isPresenceMatcher()).isTrue();
  }

  @Test
  void badRegexReportsGoStyleError() {
    assertThatThrownBy(() -> Matcher.regex("a", "(")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing closing )");
  }

  @Test
  void catastrophicPatternsRunInLinearTime() {
    String input = "a".repeat(5000) + "b";
    long start = System.nanoTime();
    assertThat(Matcher.regex("a", "(a+)+c").matches(input)).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }

  @Test
  void printsAsPromql() {
    assertThat(Matcher.regex("job", "a\"b").toString()).isEqualTo("job=~\"a\\\"b\"");
  }
}
