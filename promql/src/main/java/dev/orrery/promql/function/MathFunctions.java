package dev.orrery.promql.function;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** The element-wise float functions of PromQL with Go's {@code math} semantics where Java differs. */
public final class MathFunctions {
  private MathFunctions() {}

  /** Go's {@code math.Log2}: exact for powers of two. */
  public static double log2(double x) {
    if (Double.isNaN(x) || x < 0) {
      return Double.NaN;
    }
    if (x == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (Double.isInfinite(x)) {
      return x;
    }
    int exp = Math.getExponent(x);
    double frac;
    if (exp < Double.MIN_EXPONENT) {
      // subnormal: normalise first
      double scaled = x * 0x1p54;
      exp = Math.getExponent(scaled) - 54;
      frac = scaled / Math.scalb(1.0, Math.getExponent(scaled)) / 2;
    } else {
      frac = x / Math.scalb(1.0, exp) / 2;
    }
    exp += 1;
    if (frac == 0.5) {
      return exp - 1;
    }
    return Math.log(frac) * (1 / Math.log(2)) + exp;
  }

  /**
   * Go's {@code math.Exp2} as it runs on amd64 (the portable algorithm: reduce to {@code 2^k × e^r}, {@code |r| ≤
   * ln(2)/2}, and evaluate {@code e^r} with the same polynomial), so that results such as native histogram quantiles
   * equal Prometheus' to the last bit; {@code Math.pow(2, x)} can differ in the last ulp.
   */
  public static double exp2(double x) {
    final double ln2Hi = 6.93147180369123816490e-01;
    final double ln2Lo = 1.90821492927058770002e-10;
    if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
      return x;
    }
    if (x == Double.NEGATIVE_INFINITY) {
      return 0;
    }
    if (x > 1.0239999999999999e+03) {
      return Double.POSITIVE_INFINITY;
    }
    if (x < -1.0740e+03) {
      return 0;
    }
    int k = x > 0 ? (int) (x + 0.5) : x < 0 ? (int) (x - 0.5) : 0;
    double t = x - k;
    double hi = t * ln2Hi;
    double lo = -t * ln2Lo;
    // e^r × 2^k with r = hi - lo.
    final double p1 = 1.66666666666666657415e-01;
    final double p2 = -2.77777777770155933842e-03;
    final double p3 = 6.61375632143793436117e-05;
    final double p4 = -1.65339022054652515390e-06;
    final double p5 = 4.13813679705723846039e-08;
    double r = hi - lo;
    double rr = r * r;
    double c = r - rr * (p1 + rr * (p2 + rr * (p3 + rr * (p4 + rr * p5))));
    double y = 1 - ((lo - (r * c) / (2 - c)) - hi);
    return Math.scalb(y, k);
  }

  /** Inverse hyperbolic sine. */
  public static double asinh(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) {
      return x;
    }
    double a = Math.abs(x);
    double r = Math.log(a + Math.sqrt(a * a + 1));
    if (a > 1e8) {
      r = Math.log(a) + Math.log(2);
    }
    return x < 0 ? -r : r;
  }

  /** Inverse hyperbolic cosine. */
  public static double acosh(double x) {
    if (x < 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return 0;
    }
    if (x > 1e8) {
      return Math.log(x) + Math.log(2);
    }
    return Math.log(x + Math.sqrt(x * x - 1));
  }

  /** Inverse hyperbolic tangent. */
  public static double atanh(double x) {
    if (x < -1 || x > 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (x == -1) {
      return Double.NEGATIVE_INFINITY;
    }
    return 0.5 * Math.log1p(2 * x / (1 - x));
  }

  /** {@code sgn}. */
  public static double sgn(double v) {
    if (v < 0) {
      return -1;
    }
    if (v > 0) {
      return 1;
    }
    return v;
  }

  /** {@code round(v, toNearest)}: ties round up. */
  public static double round(double v, double toNearest) {
    double inverse = 1.0 / toNearest;
    return Math.floor(v * inverse + 0.5) / inverse;
  }

  /** Go's {@code math.Max}: NaN wins, +0 beats -0. */
  public static double goMax(double a, double b) {
    return Math.max(a, b);
  }

  /** The calendar fields the date functions return, of the UTC time {@code seconds} (truncated as Go does). */
  public static double dateField(double seconds, DateField field) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      return Double.NaN;
    }
    ZonedDateTime t = Instant.ofEpochSecond((long) seconds).atZone(ZoneOffset.UTC);
    return switch (field) {
      case DAY_OF_MONTH -> t.getDayOfMonth();
      case DAY_OF_WEEK -> t.getDayOfWeek().getValue() % 7;
      case DAY_OF_YEAR -> t.getDayOfYear();
      case DAYS_IN_MONTH -> t.toLocalDate().lengthOfMonth();
      case HOUR -> t.getHour();
      case MINUTE -> t.getMinute();
      case MONTH -> t.getMonthValue();
      case YEAR -> t.getYear();
    };
  }

  /** The fields of the date functions. */
  public enum DateField { DAY_OF_MONTH, DAY_OF_WEEK, DAY_OF_YEAR, DAYS_IN_MONTH, HOUR, MINUTE, MONTH, YEAR }
}
