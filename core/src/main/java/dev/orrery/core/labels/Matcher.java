package dev.orrery.core.labels;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Objects;

/**
 * A label matcher with Prometheus semantics. Regexes use Go's RE2 syntax (RE2/J, linear time), are fully anchored,
 * and {@code .} matches a newline as in Prometheus 3. A label that is absent has the value {@code ""}, so a matcher
 * that matches {@code ""} also selects series without the label ({@link #matchesEmpty()}).
 *
 * <p>Common regex shapes skip the regex engine, as Prometheus' {@code FastRegexMatcher} does: a plain literal, an
 * alternation of literals ({@code a|b|c}), {@code .*} and {@code .+}, and a literal prefix or infix around {@code .*}.
 * Immutable and thread-safe.
 */
public final class Matcher {
  private final MatchType type;
  private final String name;
  private final String value;
  private final StringMatcher matcher;

  private Matcher(MatchType type, String name, String value, StringMatcher matcher) {
    this.type = type;
    this.name = name;
    this.value = value;
    this.matcher = matcher;
  }

  /**
   * Creates a matcher.
   *
   * @throws IllegalArgumentException if a regex does not compile; the message reads like Go's
   *     ({@code error parsing regexp: ...})
   */
  public static Matcher of(MatchType type, String name, String value) {
    Objects.requireNonNull(type, "type is null");
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(value, "value is null");
    StringMatcher m = switch (type) {
      case EQUAL, NOT_EQUAL -> new StringMatcher.Literal(value);
      case REGEX, NOT_REGEX -> StringMatcher.compileRegex(value);
    };
    return new Matcher(type, name, value, m);
  }

  /** {@code name="value"} */
  public static Matcher equal(String name, String value) {
    return of(MatchType.EQUAL, name, value);
  }

  /** {@code name!="value"} */
  public static Matcher notEqual(String name, String value) {
    return of(MatchType.NOT_EQUAL, name, value);
  }

  /** {@code name=~"regex"} */
  public static Matcher regex(String name, String regex) {
    return of(MatchType.REGEX, name, regex);
  }

  /** {@code name!~"regex"} */
  public static Matcher notRegex(String name, String regex) {
    return of(MatchType.NOT_REGEX, name, regex);
  }

  /** The operator. */
  public MatchType type() {
    return type;
  }

  /** The label name. */
  public String name() {
    return name;
  }

  /** The literal value or the regex source. */
  public String value() {
    return value;
  }

  /** True when {@code labelValue} passes this matcher (an absent label is {@code ""}). */
  public boolean matches(String labelValue) {
    boolean m = matcher.matches(labelValue);
    return type.isNegative() != m;
  }

  /** True when this matcher selects series that lack the label. */
  public boolean matchesEmpty() {
    return matches("");
  }

  /**
   * The literal values this matcher accepts when it is {@code =} or an {@code =~} over literals ({@code a|b}), so
   * postings can be looked up directly; {@code null} for any other matcher.
   */
  public String[] setMatches() {
    if (type == MatchType.EQUAL) {
      return new String[] {value};
    }
    if (type == MatchType.REGEX && matcher instanceof StringMatcher.LiteralSet set) {
      return set.values().clone();
    }
    if (type == MatchType.REGEX && matcher instanceof StringMatcher.Literal lit) {
      return new String[] {lit.value()};
    }
    return null;
  }

  /** True for {@code =~".*"}, which matches every value including the absent label. */
  public boolean matchesEverything() {
    return type == MatchType.REGEX && matcher instanceof StringMatcher.Any;
  }

  /** True when the matcher is {@code name=~".+"} or {@code name!=""}: "the label is present". */
  public boolean isPresenceMatcher() {
    return type == MatchType.REGEX && matcher instanceof StringMatcher.NonEmpty
        || type == MatchType.NOT_EQUAL && value.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  /** PromQL form, e.g. {@code job=~"api.*"}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name).append(type.symbol());
    LabelHashing.appendQuoted(sb, value);
    return sb.toString();
  }

  /** How a matcher tests a string; the regex shapes Prometheus optimises get their own classes. */
  sealed interface StringMatcher {
    boolean matches(String s);

    record Literal(String value) implements StringMatcher {
      @Override
      public boolean matches(String s) {
        return value.equals(s);
      }
    }

    record LiteralSet(String[] values) implements StringMatcher {
      @Override
      public boolean matches(String s) {
        for (String v : values) {
          if (v.equals(s)) {
            return true;
          }
        }
        return false;
      }
    }

    record Any() implements StringMatcher {
      @Override
      public boolean matches(String s) {
        return true;
      }
    }

    record NonEmpty() implements StringMatcher {
      @Override
      public boolean matches(String s) {
        return !s.isEmpty();
      }
    }

    /** {@code prefix.*} or {@code .*infix.*}: literal tests, no regex engine. */
    record Contains(String literal, boolean anchoredAtStart) implements StringMatcher {
      @Override
      public boolean matches(String s) {
        return anchoredAtStart ? s.startsWith(literal) : s.contains(literal);
      }
    }

    record Regex(Pattern pattern) implements StringMatcher {
      @Override
      public boolean matches(String s) {
        return pattern.matches(s);
      }
    }

    static StringMatcher compileRegex(String re) {
      Pattern pattern;
      try {
        pattern = Pattern.compile("^(?:" + re + ")$", Pattern.DOTALL);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      if (re.equals(".*")) {
        return new Any();
      }
      if (re.equals(".+")) {
        return new NonEmpty();
      }
      if (isLiteral(re)) {
        return new Literal(re);
      }
      if (re.indexOf('|') >= 0) {
        String[] alts = re.split("\\|", -1);
        boolean allLiteral = true;
        for (String a : alts) {
          allLiteral &= isLiteral(a);
        }
        if (allLiteral) {
          return new LiteralSet(alts);
        }
      }
      if (re.endsWith(".*") && re.length() > 2) {
        String head = re.substring(0, re.length() - 2);
        if (isLiteral(head)) {
          return new Contains(head, true);
        }
        if (head.startsWith(".*") && isLiteral(head.substring(2))) {
          return new Contains(head.substring(2), false);
        }
      }
      return new Regex(pattern);
    }

    // A regex without metacharacters matches exactly its own text.
    private static boolean isLiteral(String re) {
      for (int i = 0; i < re.length(); i++) {
        if ("\\.+*?()|[]{}^$".indexOf(re.charAt(i)) >= 0) {
          return false;
        }
      }
      return true;
    }
  }
}
