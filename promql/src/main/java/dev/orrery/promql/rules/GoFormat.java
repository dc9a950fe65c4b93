package dev.orrery.promql.rules;

import dev.orrery.promql.ast.PromqlPrinter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Go's {@code fmt.Sprintf} and {@code strconv.FormatFloat} for the values of an alert template, ported from Go's
 * {@code fmt/print.go}, {@code fmt/format.go} and {@code strconv/ftoa.go}: verbs {@code %v %s %q %d %f %F %e %E %g %G
 * %t %x %X %o %O %b %c %U %T %%}, the flags {@code + - # 0} and space, width and precision (also as {@code *}), and
 * Go's error texts for misuse ({@code %!d(string=abc)}, {@code %!s(MISSING)}, {@code %!(EXTRA int=1)}).
 *
 * <p>Floats are rounded as Go rounds them: the exact binary value to the nearest decimal, ties to even. Java's own
 * {@code %g} differs (it never drops trailing zeros and switches to exponent form elsewhere), so it is not used.
 * Not ported: hexadecimal and binary float formats, {@code %#g}'s kept trailing zeros, and explicit argument indexes
 * ({@code %[1]d}); they print as a bad verb.
 */
final class GoFormat {
  private static final HexFormat HEX_LOWER = HexFormat.of();
  private static final HexFormat HEX_UPPER = HexFormat.of().withUpperCase();

  private GoFormat() {}

  /**
   * {@code strconv.FormatFloat(v, fmt, prec, 64)} for {@code fmt} one of {@code e E f g G}; a negative {@code prec}
   * asks for the shortest representation that reads back as {@code v}. Infinities are {@code +Inf} and {@code -Inf}.
   */
  static String formatFloat(double v, char fmt, int prec) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    StringBuilder sb = new StringBuilder(24);
    if (v < 0 || (v == 0 && 1 / v < 0)) {
      sb.append('-');
    }
    double abs = Math.abs(v);
    boolean shortest = prec < 0;
    switch (fmt) {
      case 'e', 'E' -> {
        Digits d = shortest ? Digits.shortest(abs) : Digits.rounded(abs, prec + 1);
        appendExponent(sb, d, shortest ? Math.max(d.count() - 1, 0) : prec, fmt);
      }
      case 'f' -> {
        if (shortest) {
          Digits d = Digits.shortest(abs);
          appendFixed(sb, d, Math.max(d.count() - d.point(), 0));
        } else {
          sb.append(new BigDecimal(abs).setScale(prec, RoundingMode.HALF_EVEN).toPlainString());
        }
      }
      case 'g', 'G' -> {
        int p = prec == 0 ? 1 : prec;
        Digits d = shortest ? Digits.shortest(abs) : Digits.rounded(abs, p);
        int eprec = p;
        if (shortest) {
          // strconv: "if precision was the shortest possible, use precision 6 for this decision".
          eprec = 6;
          p = d.count();
        } else if (eprec > d.count() && d.count() >= d.point()) {
          eprec = d.count();
        }
        int exp = d.point() - 1;
        if (exp < -4 || exp >= eprec) {
          appendExponent(sb, d, Math.min(p, d.count()) - 1, fmt == 'g' ? 'e' : 'E');
        } else {
          appendFixed(sb, d, Math.max((p > d.point() ? d.count() : p) - d.point(), 0));
        }
      }
      default -> throw new IllegalArgumentException("unsupported float format " + fmt);
    }
    return sb.toString();
  }

  /** Decimal digits of a non-negative finite double, without trailing zeros ("" for zero), and the point position. */
  private record Digits(String digits, int point) {
    static Digits shortest(double abs) {
      return abs == 0 ? new Digits("", 0) : of(new BigDecimal(Double.toString(abs)));
    }

    static Digits rounded(double abs, int significant) {
      return abs == 0
          ? new Digits("", 0)
          : of(new BigDecimal(abs).round(new MathContext(significant, RoundingMode.HALF_EVEN)));
    }

    private static Digits of(BigDecimal value) {
      BigDecimal stripped = value.stripTrailingZeros();
      String unscaled = stripped.unscaledValue().toString();
      return new Digits(unscaled, unscaled.length() - stripped.scale());
    }

    int count() {
      return digits.length();
    }

    char at(int i) {
      return digits.charAt(i);
    }
  }

  // strconv's fmtE: d.ddddde±dd with prec digits after the point.
  private static void appendExponent(StringBuilder sb, Digits d, int prec, char e) {
    sb.append(d.count() == 0 ? '0' : d.at(0));
    if (prec > 0) {
      sb.append('.');
      int i = 1;
      int m = Math.min(d.count(), prec + 1);
      if (i < m) {
        sb.append(d.digits(), i, m);
        i = m;
      }
      for (; i <= prec; i++) {
        sb.append('0');
      }
    }
    sb.append(e);
    int exp = d.count() == 0 ? 0 : d.point() - 1;
    sb.append(exp < 0 ? '-' : '+');
    exp = Math.abs(exp);
    if (exp < 10) {
      sb.append('0');
    }
    sb.append(exp);
  }

  // strconv's fmtF: integer part, then prec fraction digits.
  private static void appendFixed(StringBuilder sb, Digits d, int prec) {
    if (d.point() > 0) {
      int m = Math.min(d.count(), d.point());
      sb.append(d.digits(), 0, m);
      for (; m < d.point(); m++) {
        sb.append('0');
      }
    } else {
      sb.append('0');
    }
    if (prec > 0) {
      sb.append('.');
      for (int i = 1; i <= prec; i++) {
        int j = d.point() + i - 1;
        sb.append(j >= 0 && j < d.count() ? d.at(j) : '0');
      }
    }
  }

  /** Go's {@code fmt.Sprintf(format, args...)}. */
  static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder(format.length() + 16);
    int argNum = 0;
    int end = format.length();
    int i = 0;
    while (i < end) {
      int start = i;
      while (i < end && format.charAt(i) != '%') {
        i++;
      }
      out.append(format, start, i);
      if (i >= end) {
        break;
      }
      i++;
      Spec spec = new Spec();
      flags:
      for (; i < end; i++) {
        switch (format.charAt(i)) {
          case '#' -> spec.sharp = true;
          // Only allow zero padding to the left.
          case '0' -> spec.zero = !spec.minus;
          case '+' -> spec.plus = true;
          case '-' -> {
            spec.minus = true;
            spec.zero = false;
          }
          case ' ' -> spec.space = true;
          default -> {
            break flags;
          }
        }
      }
      if (i < end && format.charAt(i) == '*') {
        i++;
        if (argNum < args.size() && args.get(argNum) instanceof Long n && Math.abs(n) <= 1_000_000) {
          spec.wid = (int) Math.abs(n);
          spec.widPresent = true;
          if (n < 0) {
            spec.minus = true;
            spec.zero = false;
          }
        } else {
          out.append("%!(BADWIDTH)");
        }
        argNum = Math.min(argNum + 1, args.size());
      } else {
        int n = 0;
        int digitsStart = i;
        while (i < end && isDigit(format.charAt(i)) && n < 1_000_000) {
          n = n * 10 + format.charAt(i++) - '0';
        }
        spec.wid = n;
        spec.widPresent = i > digitsStart;
      }
      if (i < end && format.charAt(i) == '.') {
        i++;
        if (i < end && format.charAt(i) == '*') {
          i++;
          if (argNum < args.size() && args.get(argNum) instanceof Long n && n >= 0 && n <= 1_000_000) {
            spec.prec = n.intValue();
            spec.precPresent = true;
          } else {
            out.append("%!(BADPREC)");
          }
          argNum = Math.min(argNum + 1, args.size());
        } else {
          int n = 0;
          while (i < end && isDigit(format.charAt(i)) && n < 1_000_000) {
            n = n * 10 + format.charAt(i++) - '0';
          }
          spec.prec = n;
          spec.precPresent = true;
        }
      }
      if (i >= end) {
        out.append("%!(NOVERB)");
        break;
      }
      int verb = format.codePointAt(i);
      i += Character.charCount(verb);
      if (verb == '%') {
        // Percent does not absorb operands and ignores width and precision.
        out.append('%');
      } else if (argNum >= args.size()) {
        out.append("%!").appendCodePoint(verb).append("(MISSING)");
      } else {
        if (verb == 'v') {
          spec.sharpV = spec.sharp;
          spec.sharp = false;
          spec.plusV = spec.plus;
          spec.plus = false;
        }
        printArg(out, args.get(argNum++), verb, spec);
      }
    }
    if (argNum < args.size()) {
      out.append("%!(EXTRA ");
      for (int a = argNum; a < args.size(); a++) {
        if (a > argNum) {
          out.append(", ");
        }
        Object arg = args.get(a);
        out.append(TemplateValues.typeName(arg)).append('=');
        printArg(out, arg, 'v', new Spec());
      }
      out.append(')');
    }
    return out.toString();
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The flags, width and precision of one verb (Go's {@code fmtFlags}). */
  private static final class Spec {
    boolean widPresent;
    boolean precPresent;
    boolean minus;
    boolean plus;
    boolean sharp;
    boolean space;
    boolean zero;
    boolean plusV;
    boolean sharpV;
    int wid;
    int prec;
  }

  private static void printArg(StringBuilder out, Object arg, int verb, Spec spec) {
    if (verb == 'T') {
      pad(out, TemplateValues.typeName(arg), spec, false);
      return;
    }
    switch (arg) {
      case Boolean b -> {
        if (verb == 't' || verb == 'v') {
          pad(out, b.toString(), spec, spec.zero);
        } else {
          badVerb(out, arg, verb, spec);
        }
      }
      case Long l -> printInteger(out, l, verb, spec);
      case Double d -> printFloat(out, d, verb, spec);
      case String s -> printString(out, s, verb, spec);
      case Map<?, ?> m -> printMap(out, m, verb, spec);
      case TemplateData d -> printData(out, d, verb, spec);
      default -> throw new IllegalArgumentException("not a template value: " + arg.getClass().getName());
    }
  }

  private static void badVerb(StringBuilder out, Object arg, int verb, Spec spec) {
    out.append("%!").appendCodePoint(verb).append('(').append(TemplateValues.typeName(arg)).append('=');
    printArg(out, arg, 'v', spec);
    out.append(')');
  }

  private static void printInteger(StringBuilder out, long value, int verb, Spec spec) {
    switch (verb) {
      case 'v' -> formatInteger(out, value, 10, verb, false, spec);
      case 'd' -> formatInteger(out, value, 10, verb, false, spec);
      case 'b' -> formatInteger(out, value, 2, verb, false, spec);
      case 'o', 'O' -> formatInteger(out, value, 8, verb, false, spec);
      case 'x' -> formatInteger(out, value, 16, verb, false, spec);
      case 'X' -> formatInteger(out, value, 16, verb, true, spec);
      case 'c' -> pad(out, new String(Character.toChars(validRune(value))), spec, spec.zero);
      case 'q' -> pad(out, quoteRune(validRune(value)), spec, spec.zero);
      case 'U' -> {
        StringBuilder u = new StringBuilder("U+");
        String hex = Long.toHexString(value).toUpperCase(Locale.ROOT);
        int digits = Math.max(spec.precPresent ? spec.prec : 4, 4);
        u.append("0".repeat(Math.max(digits - hex.length(), 0))).append(hex);
        if (spec.sharp && value >= 0 && value <= Character.MAX_CODE_POINT && isGoPrint((int) value)) {
          u.append(" '").appendCodePoint((int) value).append('\'');
        }
        pad(out, u.toString(), spec, false);
      }
      default -> badVerb(out, value, verb, spec);
    }
  }

  // fmt.fmtInteger: precision or zero flag give leading zeros, then the prefix and sign, then space padding.
  private static void formatInteger(StringBuilder out, long value, int base, int verb, boolean upper, Spec spec) {
    boolean negative = value < 0;
    // The magnitude as unsigned: -Long.MIN_VALUE is Long.MIN_VALUE, which reads right as an unsigned value.
    String digits = Long.toUnsignedString(negative ? -value : value, base);
    if (upper) {
      digits = digits.toUpperCase(Locale.ROOT);
    }
    int prec = 0;
    if (spec.precPresent) {
      prec = spec.prec;
      if (prec == 0 && value == 0) {
        // Precision 0 and value 0 print nothing but padding.
        out.append(" ".repeat(spec.wid));
        return;
      }
    } else if (spec.zero && !spec.minus && spec.widPresent) {
      prec = spec.wid;
      if (negative || spec.plus || spec.space) {
        prec--;
      }
    }
    StringBuilder num = new StringBuilder();
    if (negative) {
      num.append('-');
    } else if (spec.plus) {
      num.append('+');
    } else if (spec.space) {
      num.append(' ');
    }
    if (verb == 'O') {
      num.append("0o");
    }
    if (spec.sharp) {
      switch (base) {
        case 2 -> num.append("0b");
        case 8 -> {
          if (digits.charAt(0) != '0' && prec <= digits.length()) {
            num.append('0');
          }
        }
        case 16 -> num.append(upper ? "0X" : "0x");
        default -> {
          // Decimal has no prefix.
        }
      }
    }
    num.append("0".repeat(Math.max(prec - digits.length(), 0))).append(digits);
    pad(out, num.toString(), spec, false);
  }

  private static void printFloat(StringBuilder out, double value, int verb, Spec spec) {
    switch (verb) {
      case 'v' -> formatFloatVerb(out, value, 'g', -1, spec);
      case 'g', 'G' -> formatFloatVerb(out, value, (char) verb, -1, spec);
      case 'e', 'E', 'f' -> formatFloatVerb(out, value, (char) verb, 6, spec);
      case 'F' -> formatFloatVerb(out, value, 'f', 6, spec);
      default -> badVerb(out, value, verb, spec);
    }
  }

  // fmt.fmtFloat: sign handling, no zero padding for Inf and NaN, zeros after the sign.
  private static void formatFloatVerb(StringBuilder out, double value, char fmt, int defaultPrec, Spec spec) {
    String formatted = formatFloat(value, fmt, spec.precPresent ? spec.prec : defaultPrec);
    String num = formatted.charAt(0) == '-' || formatted.charAt(0) == '+' ? formatted : "+" + formatted;
    if (spec.space && num.charAt(0) == '+' && !spec.plus) {
      num = " " + num.substring(1);
    }
    if (num.charAt(1) == 'I' || num.charAt(1) == 'N') {
      if (num.charAt(1) == 'N' && !spec.space && !spec.plus) {
        num = num.substring(1);
      }
      pad(out, num, spec, false);
      return;
    }
    if (spec.plus || num.charAt(0) != '+') {
      if (spec.zero && !spec.minus && spec.widPresent && spec.wid > num.length()) {
        out.append(num.charAt(0)).append("0".repeat(spec.wid - num.length())).append(num, 1, num.length());
        return;
      }
      pad(out, num, spec, false);
      return;
    }
    pad(out, num.substring(1), spec, spec.zero);
  }

  private static void printString(StringBuilder out, String value, int verb, Spec spec) {
    switch (verb) {
      case 'v' -> {
        if (spec.sharpV) {
          pad(out, quote(value), spec, spec.zero);
        } else {
          pad(out, truncate(value, spec), spec, spec.zero);
        }
      }
      case 's' -> pad(out, truncate(value, spec), spec, spec.zero);
      case 'q' -> {
        String s = truncate(value, spec);
        boolean backquote = spec.sharp && s.indexOf('`') < 0 && s.chars().noneMatch(c -> c < ' ' && c != '\t');
        pad(out, backquote ? "`" + s + "`" : quote(s), spec, spec.zero);
      }
      case 'x', 'X' -> {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int n = spec.precPresent ? Math.min(spec.prec, bytes.length) : bytes.length;
        HexFormat hex = verb == 'x' ? HEX_LOWER : HEX_UPPER;
        String prefix = spec.sharp ? (verb == 'x' ? "0x" : "0X") : "";
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < n; b++) {
          if (b == 0 || spec.space) {
            if (b > 0) {
              sb.append(' ');
            }
            if (b == 0 || spec.sharp) {
              sb.append(prefix);
            }
          }
          sb.append(hex.toHexDigits(bytes[b]));
        }
        pad(out, sb.toString(), spec, spec.zero);
      }
      default -> badVerb(out, value, verb, spec);
    }
  }

  private static void printMap(StringBuilder out, Map<?, ?> map, int verb, Spec spec) {
    if (spec.sharpV) {
      out.append("map[string]string{");
      boolean first = true;
      for (Map.Entry<String, String> e : TemplateValues.sortedEntries(map)) {
        if (!first) {
          out.append(", ");
        }
        first = false;
        out.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
      }
      out.append('}');
      return;
    }
    out.append("map[");
    boolean first = true;
    for (Map.Entry<String, String> e : TemplateValues.sortedEntries(map)) {
      if (!first) {
        out.append(' ');
      }
      first = false;
      printArg(out, e.getKey(), verb, spec);
      out.append(':');
      printArg(out, e.getValue(), verb, spec);
    }
    out.append(']');
  }

  private static void printData(StringBuilder out, TemplateData data, int verb, Spec spec) {
    if (spec.sharpV) {
      out.append(TemplateValues.DATA_TYPE).append("{Labels:");
      printArg(out, data.labels(), verb, spec);
      out.append(", ExternalLabels:");
      printArg(out, data.externalLabels(), verb, spec);
      out.append(", Value:");
      printArg(out, data.value(), verb, spec);
      out.append('}');
      return;
    }
    out.append('{');
    out.append(spec.plusV ? "Labels:" : "");
    printArg(out, data.labels(), verb, spec);
    out.append(spec.plusV ? " ExternalLabels:" : " ");
    printArg(out, data.externalLabels(), verb, spec);
    out.append(spec.plusV ? " Value:" : " ");
    printArg(out, data.value(), verb, spec);
    out.append('}');
  }

  // %s and %q with a precision keep that many runes.
  private static String truncate(String s, Spec spec) {
    if (spec.precPresent && s.codePointCount(0, s.length()) > spec.prec) {
      return s.substring(0, s.offsetByCodePoints(0, spec.prec));
    }
    return s;
  }

  // fmt.pad: width counts runes; padding goes left (zeros if asked) or, with '-', right.
  private static void pad(StringBuilder out, String s, Spec spec, boolean zeros) {
    int width = spec.widPresent ? spec.wid - s.codePointCount(0, s.length()) : 0;
    if (width <= 0) {
      out.append(s);
    } else if (spec.minus) {
      out.append(s).append(" ".repeat(width));
    } else {
      out.append((zeros ? "0" : " ").repeat(width)).append(s);
    }
  }

  /** Go's {@code strconv.Quote}. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    PromqlPrinter.appendQuoted(sb, s);
    return sb.toString();
  }

  private static int validRune(long value) {
    boolean valid = value >= 0 && value <= Character.MAX_CODE_POINT
        && !(value >= Character.MIN_SURROGATE && value <= Character.MAX_SURROGATE);
    return valid ? (int) value : 0xFFFD;
  }

  // strconv.QuoteRune: like Quote with single quotes; a double quote needs no escape, a single quote does.
  private static String quoteRune(int cp) {
    if (cp == '\'') {
      return "'\\''";
    }
    if (cp == '"') {
      return "'\"'";
    }
    String quoted = quote(new String(Character.toChars(cp)));
    return "'" + quoted.substring(1, quoted.length() - 1) + "'";
  }

  /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  static boolean isGoPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK,
          Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER,
          Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION, Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL,
          Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
      default -> false;
    };
  }
}
