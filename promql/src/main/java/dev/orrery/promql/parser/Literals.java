package dev.orrery.promql.parser;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Number and duration literals with Prometheus' (Go's) rules: a number is tried as {@code strconv.ParseInt(s, 0, 64)}
 * (so {@code 0x1f} is hex and {@code 010} is octal, as in Prometheus) and then as {@code strconv.ParseFloat}, whose
 * overflow is an error; a duration is {@code model.ParseDuration} ({@code 1h30m}, units {@code y w d h m s ms} in
 * that order, integers only) and must be positive.
 */
final class Literals {
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private Literals() {}

  /** A literal that is lexically fine but has no valid value; the message is Prometheus' wording. */
  static final class InvalidLiteralException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidLiteralException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The value of a number token ({@code 1}, {@code 1e3}, {@code 0x1F}, {@code 1_000}, {@code Inf}, {@code NaN}).
   *
   * @throws InvalidLiteralException with {@code error parsing number: ...} when the text has no float64 value
   */
  static double parseNumber(String text) {
    Double asInt = parseGoInt(text);
    if (asInt != null) {
      return asInt;
    }
    return parseGoFloat(text);
  }

  // strconv.ParseInt(s, 0, 64); null when it fails (syntax or range), as Prometheus then tries ParseFloat.
  private static Double parseGoInt(String s) {
    String digits = s;
    int base = 10;
    if (s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
      base = 16;
      digits = s.substring(2);
    } else if (s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'o' || s.charAt(1) == 'O')) {
      base = 8;
      digits = s.substring(2);
    } else if (s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'b' || s.charAt(1) == 'B')) {
      base = 2;
      digits = s.substring(2);
    } else if (s.length() > 1 && s.charAt(0) == '0') {
      base = 8;
      digits = s.substring(1);
    }
    if (!underscoresOk(s) || digits.isEmpty()) {
      return null;
    }
    String clean = digits.replace("_", "");
    if (clean.isEmpty()) {
      return null;
    }
    for (int i = 0; i < clean.length(); i++) {
      if (Character.digit(clean.charAt(i), base) < 0) {
        return null;
      }
    }
    BigInteger v = new BigInteger(clean, base);
    if (v.bitLength() > 63) {
      return null;
    }
    return (double) v.longValue();
  }

  // strconv.ParseFloat(s, 64) for what the lexer can produce: decimal floats, hex integers, inf and nan.
  private static double parseGoFloat(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> {
        // continue below
      }
    }
    if (lower.startsWith("0x") || !underscoresOk(s) || !isDecimalFloat(lower)) {
      // Go requires a 'p' exponent for hexadecimal floats, which the lexer never produces.
      throw new InvalidLiteralException("error parsing number: strconv.ParseFloat: parsing " + Token.goQuote(s)
          + ": invalid syntax");
    }
    double v = Double.parseDouble(s.replace("_", ""));
    if (Double.isInfinite(v)) {
      throw new InvalidLiteralException("error parsing number: strconv.ParseFloat: parsing " + Token.goQuote(s)
          + ": value out of range");
    }
    return v;
  }

  private static boolean isDecimalFloat(String s) {
    int i = 0;
    int n = s.length();
    int mantissaDigits = 0;
    while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      mantissaDigits += s.charAt(i) == '_' ? 0 : 1;
      i++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
        mantissaDigits += s.charAt(i) == '_' ? 0 : 1;
        i++;
      }
    }
    if (mantissaDigits == 0) {
      return false;
    }
    if (i < n && s.charAt(i) == 'e') {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int expDigits = 0;
      while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
        expDigits += s.charAt(i) == '_' ? 0 : 1;
        i++;
      }
      if (expDigits == 0) {
        return false;
      }
    }
    return i == n;
  }

  // Go's strconv.underscoreOK: '_' only between digits, or between a base prefix and a digit.
  private static boolean underscoresOk(String s) {
    char saw = '^';
    int i = 0;
    boolean hex = false;
    if (s.length() >= 2 && s.charAt(0) == '0') {
      char c = Character.toLowerCase(s.charAt(1));
      if (c == 'b' || c == 'o' || c == 'x') {
        i = 2;
        saw = '0';
        hex = c == 'x';
      }
    }
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean digit = (c >= '0' && c <= '9') || (hex && Character.digit(c, 16) >= 0);
      if (digit) {
        saw = '0';
        continue;
      }
      if (c == '_') {
        if (saw != '0') {
          return false;
        }
        saw = '_';
        continue;
      }
      if (saw == '_') {
        return false;
      }
      saw = '!';
    }
    return saw != '_';
  }

  /**
   * A duration token in seconds, for a {@link dev.orrery.promql.ast.NumberLiteral}. A zero duration is valid here
   * ({@code [30m+0s]}); ranges and steps check for a positive value themselves.
   *
   * @throws InvalidLiteralException with Prometheus' message ({@code not a valid duration string: "1m1h"}, {@code
   *     unknown unit "hs" in duration "1hs"}, {@code duration out of range})
   */
  static double parseDurationSeconds(String s) {
    return parseDurationNanos(s) / 1e9;
  }

  private static long parseDurationNanos(String orig) {
    if (orig.equals("0")) {
      return 0;
    }
    if (orig.isEmpty()) {
      throw new InvalidLiteralException("empty duration string");
    }
    String invalid = "not a valid duration string: " + Token.goQuote(orig);
    long total = 0;
    int lastUnitPos = 0;
    int i = 0;
    int n = orig.length();
    while (i < n) {
      if (!Lexer.isDigit(orig.charAt(i))) {
        throw new InvalidLiteralException(invalid);
      }
      int digitsStart = i;
      while (i < n && Lexer.isDigit(orig.charAt(i))) {
        i++;
      }
      BigInteger v = new BigInteger(orig.substring(digitsStart, i));
      if (v.bitLength() > 64) {
        throw new InvalidLiteralException(invalid);
      }
      int unitStart = i;
      while (i < n && !Lexer.isDigit(orig.charAt(i))) {
        i++;
      }
      if (i == unitStart) {
        throw new InvalidLiteralException(invalid);
      }
      String unit = orig.substring(unitStart, i);
      int unitPos;
      long mult;
      switch (unit) {
        case "ms" -> {
          unitPos = 7;
          mult = NANOS_PER_MILLI;
        }
        case "s" -> {
          unitPos = 6;
          mult = 1000 * NANOS_PER_MILLI;
        }
        case "m" -> {
          unitPos = 5;
          mult = 60_000 * NANOS_PER_MILLI;
        }
        case "h" -> {
          unitPos = 4;
          mult = 3_600_000L * NANOS_PER_MILLI;
        }
        case "d" -> {
          unitPos = 3;
          mult = 86_400_000L * NANOS_PER_MILLI;
        }
        case "w" -> {
          unitPos = 2;
          mult = 7L * 86_400_000 * NANOS_PER_MILLI;
        }
        case "y" -> {
          unitPos = 1;
          mult = 365L * 86_400_000 * NANOS_PER_MILLI;
        }
        default -> throw new InvalidLiteralException(
            "unknown unit " + Token.goQuote(unit) + " in duration " + Token.goQuote(orig));
      }
      if (unitPos <= lastUnitPos) {
        throw new InvalidLiteralException(invalid);
      }
      lastUnitPos = unitPos;
      // Overflow of time.Duration (about 290 years).
      BigInteger limit = BigInteger.ONE.shiftLeft(63).divide(BigInteger.valueOf(mult));
      if (v.compareTo(limit) > 0) {
        throw new InvalidLiteralException("duration out of range");
      }
      BigInteger sum = BigInteger.valueOf(total).add(v.multiply(BigInteger.valueOf(mult)));
      if (sum.bitLength() > 63) {
        throw new InvalidLiteralException("duration out of range");
      }
      total = sum.longValue();
    }
    return total;
  }

  /** Go's {@code fmt} {@code %f}: six decimals, {@code +Inf}, {@code -Inf}, {@code NaN}. */
  static String formatPercentF(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
  }
}
