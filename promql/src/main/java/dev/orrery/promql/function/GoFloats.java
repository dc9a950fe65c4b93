package dev.orrery.promql.function;

import java.math.BigDecimal;

/** Go's {@code %g} formatting of floats ({@code strconv.FormatFloat(f, 'g', -1, 64)}), used in messages. */
public final class GoFloats {
  private GoFloats() {}

  /** {@code %g}: the shortest representation, exponent form when the exponent is below -4 or at least 6. */
  public static String formatG(double v) {
    return format(v, 6);
  }

  /** {@code %v}: like {@link #formatG} with the exponent form from 21 on. */
  public static String formatV(double v) {
    return format(v, 21);
  }

  private static String format(double v, int eprec) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int exp = d.precision() - d.scale() - 1;
    if (exp < -4 || exp >= eprec) {
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
      int a = Math.abs(exp);
      if (a < 10) {
        sb.append('0');
      }
      return sb.append(a).toString();
    }
    return d.toPlainString();
  }
}
