package dev.orrery.promql.ast;

import dev.orrery.core.labels.MatchType;
import dev.orrery.core.labels.Matcher;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Prints an AST as canonical PromQL, the way Prometheus' {@code String()} methods do ({@code
 * promql/parser/printer.go}):
 * one space around binary operators, matchers sorted, {@code by}/{@code without} before the aggregation body,
 * durations in their largest units ({@code 90m} prints as {@code 1h30m}), numbers in plain decimal notation, strings
 * with Go's double-quote escaping. Used by {@code /api/v1/format_query}. The output parses back into the same tree
 * (positions aside, and matchers in sorted order).
 *
 * <p>Deviations, each where Prometheus' output would not parse back to the same tree: {@code min_of}/{@code max_of}
 * in durations print as such (Prometheus writes {@code min(}/{@code max(}); {@code +Inf} as the left operand of
 * {@code ^} prints as {@code Inf}; duration literals round to the nearest millisecond instead of truncating.
 * Stateless and thread-safe.
 */
public final class PromqlPrinter {
  private PromqlPrinter() {}

  /** The canonical PromQL text of {@code expr}. */
  public static String print(Expr expr) {
    StringBuilder sb = new StringBuilder();
    write(sb, expr);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Expr expr) {
    switch (expr) {
      case AggregateExpr a -> writeAggregate(sb, a);
      case BinaryExpr b -> writeBinary(sb, b);
      case Call c -> {
        sb.append(c.func().functionName()).append('(');
        for (int i = 0; i < c.args().size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          write(sb, c.args().get(i));
        }
        sb.append(')');
      }
      case DurationExpr d -> writeDuration(sb, d);
      case MatrixSelector m -> writeMatrix(sb, m);
      case NumberLiteral n -> writeNumber(sb, n);
      case ParenExpr p -> {
        sb.append('(');
        write(sb, p.expr());
        sb.append(')');
      }
      case StepInvariantExpr s -> write(sb, s.expr());
      case StringLiteral s -> appendQuoted(sb, s.value());
      case SubqueryExpr s -> writeSubquery(sb, s);
      case UnaryExpr u -> {
        sb.append(u.op().symbol());
        write(sb, u.expr());
      }
      case VectorSelector v -> writeVectorSelector(sb, v, true);
    }
  }

  private static void writeAggregate(StringBuilder sb, AggregateExpr a) {
    sb.append(a.op().symbol());
    if (a.without()) {
      sb.append(" without (");
      writeLabels(sb, a.grouping());
      sb.append(") ");
    } else if (!a.grouping().isEmpty()) {
      sb.append(" by (");
      writeLabels(sb, a.grouping());
      sb.append(") ");
    }
    sb.append('(');
    if (a.param() != null) {
      write(sb, a.param());
      sb.append(", ");
    }
    write(sb, a.expr());
    sb.append(')');
  }

  private static void writeBinary(StringBuilder sb, BinaryExpr b) {
    if (b.op() == BinaryOp.POW && b.lhs() instanceof NumberLiteral n && n.value() == Double.POSITIVE_INFINITY) {
      // "+Inf ^ 2" would parse back as +(Inf ^ 2), a unary expression; Prometheus prints it that way anyway.
      sb.append("Inf");
    } else {
      write(sb, b.lhs());
    }
    sb.append(' ').append(b.op().symbol());
    if (b.returnBool()) {
      sb.append(" bool");
    }
    VectorMatching vm = b.matching();
    if (vm != null) {
      boolean grouped = vm.card() == Cardinality.MANY_TO_ONE || vm.card() == Cardinality.ONE_TO_MANY;
      if (!vm.matchingLabels().isEmpty() || vm.on() || grouped) {
        sb.append(vm.on() ? " on (" : " ignoring (");
        writeLabels(sb, vm.matchingLabels());
        sb.append(')');
      }
      if (grouped) {
        sb.append(vm.card() == Cardinality.MANY_TO_ONE ? " group_left (" : " group_right (");
        writeLabels(sb, vm.include());
        sb.append(')');
      }
      if (vm.hasFill()) {
        if (vm.fillLeft() != null && vm.fillLeft().equals(vm.fillRight())) {
          sb.append(" fill (").append(formatGoFloatV(vm.fillLeft())).append(')');
        } else {
          if (vm.fillLeft() != null) {
            sb.append(" fill_left (").append(formatGoFloatV(vm.fillLeft())).append(')');
          }
          if (vm.fillRight() != null) {
            sb.append(" fill_right (").append(formatGoFloatV(vm.fillRight())).append(')');
          }
        }
      }
    }
    sb.append(' ');
    write(sb, b.rhs());
  }

  private static void writeDuration(StringBuilder sb, DurationExpr d) {
    if (d.wrapped()) {
      sb.append('(');
    }
    switch (d.op()) {
      case STEP -> sb.append("step()");
      case RANGE -> sb.append("range()");
      case MIN_OF, MAX_OF -> {
        sb.append(d.op().symbol()).append('(');
        write(sb, d.lhs());
        sb.append(", ");
        write(sb, d.rhs());
        sb.append(')');
      }
      case NEGATE -> {
        sb.append('-');
        write(sb, d.rhs());
      }
      case PLUS -> write(sb, d.rhs());
      case ADD, SUB, MUL, DIV, MOD, POW -> {
        write(sb, d.lhs());
        sb.append(' ').append(d.op().symbol()).append(' ');
        write(sb, d.rhs());
      }
    }
    if (d.wrapped()) {
      sb.append(')');
    }
  }

  private static void writeMatrix(StringBuilder sb, MatrixSelector m) {
    VectorSelector vs = m.vectorSelector();
    writeVectorSelector(sb, vs, false);
    sb.append('[');
    if (m.rangeExpr() != null) {
      writeDuration(sb, m.rangeExpr());
    } else {
      appendDuration(sb, m.rangeMillis());
    }
    sb.append(']');
    if (vs.anchored()) {
      sb.append(" anchored");
    } else if (vs.smoothed()) {
      sb.append(" smoothed");
    }
    writeAt(sb, vs.timestampMillis(), vs.startOrEnd());
    writeOffset(sb, vs.originalOffsetMillis(), vs.offsetExpr());
  }

  private static void writeSubquery(StringBuilder sb, SubqueryExpr s) {
    write(sb, s.expr());
    sb.append('[');
    if (s.rangeExpr() != null) {
      writeDuration(sb, s.rangeExpr());
    } else {
      appendDuration(sb, s.rangeMillis());
    }
    sb.append(':');
    if (s.stepMillis() != 0 && s.stepExpr() == null) {
      appendDuration(sb, s.stepMillis());
    } else if (s.stepExpr() != null) {
      writeDuration(sb, s.stepExpr());
    }
    sb.append(']');
    writeAt(sb, s.timestampMillis(), s.startOrEnd());
    writeOffset(sb, s.originalOffsetMillis(), s.offsetExpr());
  }

  private static void writeVectorSelector(StringBuilder sb, VectorSelector v, boolean withModifiers) {
    List<String> labelStrings = new ArrayList<>(v.matchers().size());
    boolean legacyName = isLegacyMetricName(v.name());
    for (Matcher m : v.matchers()) {
      // The name's own matcher is implied by the name; an explicit {__name__=""} is kept.
      if (m.name().equals("__name__") && m.type() == MatchType.EQUAL && m.value().equals(v.name())
          && !m.value().isEmpty()) {
        continue;
      }
      labelStrings.add(matcherString(m));
    }
    Collections.sort(labelStrings);
    if (!v.name().isEmpty() && !legacyName) {
      // A name that is not a legacy identifier must be quoted inside the braces: {"my.metric"}.
      StringBuilder quoted = new StringBuilder();
      appendQuoted(quoted, v.name());
      labelStrings.addFirst(quoted.toString());
    } else {
      sb.append(v.name());
    }
    if (!labelStrings.isEmpty()) {
      sb.append('{').append(String.join(",", labelStrings)).append('}');
    }
    if (!withModifiers) {
      return;
    }
    writeAt(sb, v.timestampMillis(), v.startOrEnd());
    if (v.anchored()) {
      sb.append(" anchored");
    } else if (v.smoothed()) {
      sb.append(" smoothed");
    }
    writeOffset(sb, v.originalOffsetMillis(), v.offsetExpr());
  }

  private static void writeAt(StringBuilder sb, Long timestampMillis, StartOrEnd startOrEnd) {
    if (timestampMillis != null) {
      // Go: fmt "%.3f" of the seconds.
      sb.append(" @ ").append(BigDecimal.valueOf(timestampMillis).movePointLeft(3).setScale(3).toPlainString());
    } else if (startOrEnd != null) {
      sb.append(" @ ").append(startOrEnd.text());
    }
  }

  private static void writeOffset(StringBuilder sb, long offsetMillis, DurationExpr offsetExpr) {
    if (offsetExpr != null) {
      sb.append(" offset ");
      writeDuration(sb, offsetExpr);
    } else if (offsetMillis > 0) {
      sb.append(" offset ");
      appendDuration(sb, offsetMillis);
    } else if (offsetMillis < 0) {
      sb.append(" offset -");
      appendDuration(sb, -offsetMillis);
    }
  }

  private static void writeNumber(StringBuilder sb, NumberLiteral n) {
    double v = n.value();
    if (n.duration() && !Double.isNaN(v) && !Double.isInfinite(v)) {
      double seconds = v;
      if (Double.doubleToRawLongBits(seconds) < 0) { // includes -0, which must print as "-0s" to parse back
        sb.append('-');
        seconds = -seconds;
      }
      // model.Duration(val * 1e9).String() truncates nanoseconds to milliseconds; rounding to the nearest
      // millisecond instead keeps 3ms from printing as 2ms when the float product lands just below.
      appendDuration(sb, Math.round(seconds * 1000));
      return;
    }
    sb.append(formatGoFloatF(v));
  }

  private static void writeLabels(StringBuilder sb, List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      String name = names.get(i);
      if (isLegacyLabelName(name)) {
        sb.append(name);
      } else {
        appendQuoted(sb, name);
      }
    }
  }

  /** A matcher as Prometheus prints it: {@code job=~"a.*"}, with a quoted name when it is not an identifier. */
  public static String matcherString(Matcher m) {
    StringBuilder sb = new StringBuilder();
    if (isLegacyLabelName(m.name())) {
      sb.append(m.name());
    } else {
      appendQuoted(sb, m.name());
    }
    sb.append(m.type().symbol());
    appendQuoted(sb, m.value());
    return sb.toString();
  }

  /**
   * Appends a duration in milliseconds as Prometheus' {@code model.Duration.String()} does: {@code 0s}, {@code 1h30m},
   * {@code 1w}, {@code 2y}, {@code 1d12h}, {@code 1s500ms}; years and weeks only when they divide exactly.
   *
   * @param millis a non-negative duration
   */
  public static void appendDuration(StringBuilder sb, long millis) {
    if (millis == 0) {
      sb.append("0s");
      return;
    }
    long ms = millis;
    final long day = 24L * 60 * 60 * 1000;
    long year = 365 * day;
    long week = 7 * day;
    if (ms % year == 0) {
      sb.append(ms / year).append('y');
      return;
    }
    if (ms % week == 0) {
      sb.append(ms / week).append('w');
      return;
    }
    long[] mults = {day, 60L * 60 * 1000, 60L * 1000, 1000L, 1L};
    String[] units = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < mults.length; i++) {
      long v = ms / mults[i];
      if (v > 0) {
        sb.append(v).append(units[i]);
        ms -= v * mults[i];
      }
    }
  }

  /** The duration in milliseconds as {@link #appendDuration} writes it. */
  public static String formatDuration(long millis) {
    StringBuilder sb = new StringBuilder();
    appendDuration(sb, millis);
    return sb.toString();
  }

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest decimal without exponent; {@code +Inf}, {@code NaN}. */
  public static String formatGoFloatF(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
    }
    return shortestDecimal(v).toPlainString();
  }

  /**
   * The shortest decimal that parses back to {@code v} (closest to it among the shortest), as Go's {@code strconv}
   * finds it. {@link Double#toString} (JDK 19+) is shortest except that it never uses a single digit (it prints
   * {@code 4.9E-324} where Go finds {@code 5e-324}), so a one-digit candidate is tried as well.
   */
  private static BigDecimal shortestDecimal(double v) {
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    if (d.precision() == 2) {
      BigDecimal exact = new BigDecimal(v);
      BigDecimal best = null;
      for (java.math.RoundingMode mode : new java.math.RoundingMode[] {java.math.RoundingMode.FLOOR,
          java.math.RoundingMode.CEILING}) {
        BigDecimal candidate = d.round(new java.math.MathContext(1, mode));
        if (candidate.doubleValue() == v && (best == null
            || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
          best = candidate;
        }
      }
      if (best != null) {
        return best.stripTrailingZeros();
      }
    }
    return d;
  }

  /** Go's {@code fmt} {@code %v} of a float64: shortest digits, exponent form outside {@code [1e-4, 1e6)}. */
  static String formatGoFloatV(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
    }
    BigDecimal d = shortestDecimal(v);
    int exp = d.precision() - d.scale() - 1;
    // strconv's %g with shortest precision switches to the exponent form at 1e-4 and 1e6 ("1e+06").
    if (exp < -4 || exp >= 6) {
      String digits = d.unscaledValue().abs().toString();
      StringBuilder sb = new StringBuilder();
      if (v < 0) {
        sb.append('-');
      }
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int absExp = Math.abs(exp);
      if (absExp < 10) {
        sb.append('0');
      }
      sb.append(absExp);
      return sb.toString();
    }
    return d.toPlainString();
  }

  /**
   * Appends {@code s} in double quotes with Go's {@code strconv.Quote} escaping. The lone surrogates {@code
   * U+DC80..U+DCFF}, which the parser uses for bytes of a string literal that are not UTF-8, print as {@code \xNN}.
   */
  public static void appendQuoted(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case 0x07 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 0x0B -> sb.append("\\v");
        default -> {
          if (cp >= 0xDC80 && cp <= 0xDCFF) {
            // A byte that was not valid UTF-8 in a Go string literal ("\xff"), kept as a lone surrogate.
            sb.append(String.format("\\x%02x", cp - 0xDC00));
          } else if (isGoPrintable(cp)) {
            sb.appendCodePoint(cp);
          } else if (cp < 0x80) {
            sb.append(String.format("\\x%02x", cp));
          } else if (cp < 0x10000) {
            sb.append(String.format("\\u%04x", cp));
          } else {
            sb.append(String.format("\\U%08x", cp));
          }
        }
      }
    }
    sb.append('"');
  }

  // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
  private static boolean isGoPrintable(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL ->
          true;
      default -> false;
    };
  }

  /** True for a label name Prometheus' legacy validation accepts: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
  public static boolean isLegacyLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** True for a metric name Prometheus' legacy validation accepts: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
  public static boolean isLegacyMetricName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
