package dev.orrery.promql.function;

/** {@code deriv}, {@code predict_linear} (least-squares regression) and {@code double_exponential_smoothing}. */
public final class RegressionKernels {
  private RegressionKernels() {}

  /** {@code deriv}: the regression slope per second. */
  public static final RangeKernel DERIV = (w, out) -> {
    if (w.floatCount() < 2) {
      if (w.floatCount() == 1 && w.histCount() > 0) {
        w.info("ignored histograms in a range containing both floats and histograms for metric name \""
            + w.metricName + "\"");
      }
      return false;
    }
    if (w.histCount() > 0) {
      w.info("ignored histograms in a range containing both floats and histograms for metric name \""
          + w.metricName + "\"");
    }
    double[] r = linearRegression(w, w.floatTs[w.floatFrom]);
    return out.set(r[0]);
  };

  /** {@code predict_linear(range, t)}: {@code params[0]} is t in seconds from the evaluation time. */
  public static final RangeKernel PREDICT_LINEAR = (w, out) -> {
    if (w.floatCount() < 2) {
      if (w.floatCount() == 1 && w.histCount() > 0) {
        w.info("ignored histograms in a range containing both floats and histograms for metric name \""
            + w.metricName + "\"");
      }
      return false;
    }
    if (w.histCount() > 0) {
      w.info("ignored histograms in a range containing both floats and histograms for metric name \""
          + w.metricName + "\"");
    }
    double[] r = linearRegression(w, w.stepMillis);
    return out.set(r[0] * w.params[0] + r[1]);
  };

  /** Slope and intercept (at {@code interceptTime}) with Kahan-compensated sums, as Prometheus' linearRegression. */
  static double[] linearRegression(RangeWindow w, long interceptTime) {
    double n = 0;
    double sumX = 0;
    double cX = 0;
    double sumY = 0;
    double cY = 0;
    double sumXY = 0;
    double cXY = 0;
    double sumX2 = 0;
    double cX2 = 0;
    double initY = w.floatValues[w.floatFrom];
    boolean constY = true;
    for (int i = w.floatFrom; i < w.floatTo; i++) {
      double y = w.floatValues[i];
      if (constY && i > w.floatFrom && y != initY) {
        constY = false;
      }
      n += 1;
      double x = (w.floatTs[i] - interceptTime) / 1e3;
      cX = KahanSum.compensation(x, sumX, cX);
      sumX += x;
      cY = KahanSum.compensation(y, sumY, cY);
      sumY += y;
      double xy = x * y;
      cXY = KahanSum.compensation(xy, sumXY, cXY);
      sumXY += xy;
      double x2 = x * x;
      cX2 = KahanSum.compensation(x2, sumX2, cX2);
      sumX2 += x2;
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        return new double[] {Double.NaN, Double.NaN};
      }
      return new double[] {0, initY};
    }
    sumX += cX;
    sumY += cY;
    sumXY += cXY;
    sumX2 += cX2;
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    double slope = covXY / varX;
    double intercept = sumY / n - slope * sumX / n;
    return new double[] {slope, intercept};
  }

  /**
   * {@code double_exponential_smoothing(range, sf, tf)}: {@code params} are the smoothing and trend factors, checked
   * by the caller to lie in (0, 1).
   */
  public static final RangeKernel DOUBLE_EXPONENTIAL_SMOOTHING = (w, out) -> {
    int l = w.floatCount();
    if (l < 2) {
      return false;
    }
    if (w.histCount() > 0) {
      w.info("ignored histograms in a range containing both floats and histograms for metric name \""
          + w.metricName + "\"");
    }
    double sf = w.params[0];
    double tf = w.params[1];
    double[] v = w.floatValues;
    int o = w.floatFrom;
    double s0 = 0;
    double s1 = v[o];
    double b = v[o + 1] - v[o];
    for (int i = 1; i < l; i++) {
      double x = sf * v[o + i];
      if (i - 1 != 0) {
        b = tf * (s1 - s0) + (1 - tf) * b;
      }
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return out.set(s1);
  };
}
