package dev.orrery.promql.rules;

import dev.orrery.core.io.GoFloat;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * Prometheus' number formatting template functions ({@code template/template.go}, the {@code humanize*} entries of
 * {@code NewTemplateExpander}'s function map). Each takes a number or a string that parses as one, as Prometheus'
 * {@code convertToFloat} does, and formats with Go's {@code %.4g} ({@link GoFormat#formatFloat}).
 */
final class Humanize {
  private static final String[] SI_BIG = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  private static final String[] SI_SMALL = {"m", "u", "n", "p", "f", "a", "z", "y"};
  private static final String[] IEC = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};
  // strconv.ParseFloat's decimal and hexadecimal forms (underscores are only valid there with a base prefix).
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern HEXADECIMAL =
      Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?\\d+");

  private Humanize() {}

  /** {@code humanize}: SI prefixes from {@code k} to {@code Y} and from {@code m} to {@code y}. */
  static String humanize(Object arg) throws TemplateCallException {
    double v = toFloat(arg);
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return g4(v);
    }
    String prefix = "";
    if (Math.abs(v) >= 1) {
      for (String p : SI_BIG) {
        if (Math.abs(v) < 1000) {
          break;
        }
        prefix = p;
        v /= 1000;
      }
      return g4(v) + prefix;
    }
    for (String p : SI_SMALL) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return g4(v) + prefix;
  }

  /** {@code humanize1024}: IEC prefixes from {@code ki} to {@code Yi}; values up to 1 in magnitude plain. */
  static String humanize1024(Object arg) throws TemplateCallException {
    double v = toFloat(arg);
    if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
      return g4(v);
    }
    String prefix = "";
    for (String p : IEC) {
      if (Math.abs(v) < 1024) {
        break;
      }
      prefix = p;
      v /= 1024;
    }
    return g4(v) + prefix;
  }

  /**
   * {@code humanizeDuration}: seconds as {@code 2d 3h 4m 5s}, {@code 3h 4m 5s} or {@code 4m 5s} (whole seconds) from a
   * minute on, as {@code 12.35s} below, and as {@code 123.5ms}, {@code 100us} and so on below a second.
   */
  static String humanizeDuration(Object arg) throws TemplateCallException {
    double v = toFloat(arg);
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return g4(v);
    }
    if (v == 0) {
      return g4(v) + "s";
    }
    if (Math.abs(v) >= 1) {
      String sign = "";
      if (v < 0) {
        sign = "-";
        v = -v;
      }
      long duration = (long) v;
      long seconds = duration % 60;
      long minutes = (duration / 60) % 60;
      long hours = (duration / 60 / 60) % 24;
      long days = duration / 60 / 60 / 24;
      if (days != 0) {
        return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (hours != 0) {
        return sign + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (minutes != 0) {
        return sign + minutes + "m " + seconds + "s";
      }
      return sign + g4(v) + "s";
    }
    String prefix = "";
    for (String p : SI_SMALL) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return g4(v) + prefix + "s";
  }

  /** {@code humanizePercentage}: a ratio as a percentage, {@code 0.1234} as {@code 12.34%}. */
  static String humanizePercentage(Object arg) throws TemplateCallException {
    return g4(toFloat(arg) * 100) + "%";
  }

  /**
   * {@code humanizeTimestamp}: Unix seconds as Go prints a UTC {@code time.Time} ({@code 2015-06-23 13:19:44.128 +0000
   * UTC}), truncated to milliseconds as Prometheus' {@code model.Time} is.
   */
  static String humanizeTimestamp(Object arg) throws TemplateCallException {
    double v = toFloat(arg);
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return g4(v);
    }
    double nanos = v * 1e9;
    if (nanos > Long.MAX_VALUE || nanos < Long.MIN_VALUE) {
      throw new TemplateCallException(
          GoFloat.formatG(v) + " cannot be represented as a nanoseconds timestamp since it overflows int64");
    }
    // model.TimeFromUnixNano divides by 1e6, truncating towards zero as Java's long division does.
    long millis = (long) nanos / 1_000_000;
    LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(40);
    sb.append(String.format("%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
        t.getHour(), t.getMinute(), t.getSecond()));
    int fraction = t.getNano() / 1_000_000;
    if (fraction != 0) {
      // Go's ".999999999" layout: fraction digits without trailing zeros.
      String digits = String.format("%03d", fraction);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(digits, 0, end);
    }
    return sb.append(" +0000 UTC").toString();
  }

  /** Prometheus' {@code convertToFloat}: a float, an int, or a string in {@code strconv.ParseFloat}'s syntax. */
  static double toFloat(Object arg) throws TemplateCallException {
    return switch (arg) {
      case Double d -> d;
      case Long l -> l.doubleValue();
      case String s -> parseFloat(s);
      default -> throw new TemplateCallException("can't convert " + TemplateValues.typeName(arg) + " to float");
    };
  }

  /** Go's {@code strconv.ParseFloat(s, 64)}, with its error texts. */
  static double parseFloat(String s) throws TemplateCallException {
    String unsigned = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    if (unsigned.equalsIgnoreCase("inf") || unsigned.equalsIgnoreCase("infinity")) {
      return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (s.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    if (!DECIMAL.matcher(s).matches() && !HEXADECIMAL.matcher(s).matches()) {
      throw new TemplateCallException("strconv.ParseFloat: parsing " + GoFormat.quote(s) + ": invalid syntax");
    }
    double v = Double.parseDouble(s);
    if (Double.isInfinite(v)) {
      throw new TemplateCallException("strconv.ParseFloat: parsing " + GoFormat.quote(s) + ": value out of range");
    }
    return v;
  }

  private static String g4(double v) {
    return GoFormat.formatFloat(v, 'g', 4);
  }
}
