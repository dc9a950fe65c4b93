package dev.orrery.core.io;

/**
 * Go's shortest float formatting ({@code strconv.FormatFloat(f, 'g', -1, 64)}, i.e. {@code fmt}'s {@code %g}), as
 * {@code promtool tsdb dump} prints values: {@code 639966}, {@code 1.502016e+06}, {@code 1.5e-05}, {@code NaN},
 * {@code +Inf}; and {@code %v}, which keeps the plain form up to an exponent of 20. Java's {@link Double#toString}
 * yields the same shortest digits (JDK 19+); only the layout differs.
 */
public final class GoFloat {
  private GoFloat() {}

  /**
   * Parses a float as Go and Prometheus' JSON write it: {@code +Inf}, {@code -Inf}, {@code NaN} (Go also accepts
   * {@code Inf}) or a decimal number.
   *
   * @throws NumberFormatException for anything else
   */
  public static double parse(String s) {
    return switch (s) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        if (s.isEmpty() || !Character.isDigit(s.charAt(s.length() - 1)) && s.charAt(s.length() - 1) != '.') {
          throw new NumberFormatException("not a number: '" + s + "'");
        }
        yield Double.parseDouble(s);
      }
    };
  }

  /** Formats {@code v} like Go's {@code %g}: exponent form when the exponent is below -4 or at least 6. */
  public static String formatG(double v) {
    return format(v, 6);
  }

  /** Formats {@code v} like Go's {@code %v}: as {@link #formatG}, with the exponent form from 21 on. */
  public static String formatV(double v) {
    return format(v, 21);
  }

  private static String format(double v, int exponentFrom) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
    }
    Digits d = Digits.of(v);
    int exp = d.pointPos - 1;
    StringBuilder sb = new StringBuilder(24);
    if (d.negative) {
      sb.append('-');
    }
    // Shortest formatting decides with precision 6 ('g' with prec -1 in strconv), %v with 21.
    if (exp < -4 || exp >= exponentFrom) {
      sb.append(d.digits.charAt(0));
      if (d.digits.length() > 1) {
        sb.append('.').append(d.digits, 1, d.digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        sb.append('0');
      }
      sb.append(a);
      return sb.toString();
    }
    if (d.pointPos <= 0) {
      sb.append("0.");
      for (int i = 0; i < -d.pointPos; i++) {
        sb.append('0');
      }
      sb.append(d.digits);
    } else if (d.pointPos >= d.digits.length()) {
      sb.append(d.digits);
      for (int i = d.digits.length(); i < d.pointPos; i++) {
        sb.append('0');
      }
    } else {
      sb.append(d.digits, 0, d.pointPos).append('.').append(d.digits, d.pointPos, d.digits.length());
    }
    return sb.toString();
  }

  /** Shortest decimal digits of a finite non-zero double and the position of the decimal point. */
  record Digits(boolean negative, String digits, int pointPos) {
    static Digits of(double v) {
      String s = Double.toString(Math.abs(v));
      int e = s.indexOf('E');
      int exp10 = 0;
      String mantissa = s;
      if (e >= 0) {
        exp10 = Integer.parseInt(s.substring(e + 1));
        mantissa = s.substring(0, e);
      }
      int dot = mantissa.indexOf('.');
      String intPart = mantissa.substring(0, dot);
      String frac = mantissa.substring(dot + 1);
      String all = intPart + frac;
      int point = intPart.length() + exp10;
      int lead = 0;
      while (lead < all.length() - 1 && all.charAt(lead) == '0') {
        lead++;
      }
      all = all.substring(lead);
      point -= lead;
      int end = all.length();
      while (end > 1 && all.charAt(end - 1) == '0') {
        end--;
      }
      return new Digits(v < 0, all.substring(0, end), point);
    }
  }
}
