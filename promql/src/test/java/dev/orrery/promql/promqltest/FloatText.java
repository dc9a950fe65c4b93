package dev.orrery.promql.promqltest;

/** Go-like rendering of floats in failure messages ({@code +Inf}, {@code NaN}, shortest round-trip digits). */
final class FloatText {
  private FloatText() {}

  static String of(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e21) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
