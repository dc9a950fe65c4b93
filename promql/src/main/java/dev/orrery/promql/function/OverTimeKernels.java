package dev.orrery.promql.function;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.core.histogram.HistogramCounterResets;
import dev.orrery.promql.histogram.HistogramAccumulator;

/** The {@code *_over_time} functions (Prometheus' {@code funcXxxOverTime}). */
public final class OverTimeKernels {
  private OverTimeKernels() {}

  private static String ignoredInfo(RangeWindow w) {
    return "ignored histograms in a range containing both floats and histograms for metric name \"" + w.metricName
        + "\"";
  }

  /** {@code avg_over_time}: Kahan-compensated mean, incremental when the sum overflows; histograms averaged. */
  public static final RangeKernel AVG = (w, out) -> {
    if (w.floatCount() > 0 && w.histCount() > 0) {
      w.warn(RateKernels.mixedWarning(w.metricName));
      return false;
    }
    if (w.floatCount() == 0) {
      if (w.histCount() == 0) {
        return false;
      }
      HistogramAccumulator acc = new HistogramAccumulator(w.histograms[w.histFrom]);
      for (int i = w.histFrom + 1; i < w.histTo; i++) {
        acc.add(w.histograms[i]);
      }
      if (acc.overflowed()) {
        // The count of samples is known: sum h/n instead, which cannot overflow.
        double n = w.histCount();
        acc = new HistogramAccumulator(HistogramArithmetic.divide(w.histograms[w.histFrom], n));
        for (int i = w.histFrom + 1; i < w.histTo; i++) {
          acc.add(HistogramArithmetic.divide(w.histograms[i], n));
        }
        return finish(w, out, acc, acc.incompatible() ? null : acc.sum(), "avg_over_time");
      }
      return finish(w, out, acc, acc.incompatible() ? null : acc.mean(), "avg_over_time");
    }
    double[] v = w.floatValues;
    double sum = v[w.floatFrom];
    double count = 1;
    double mean = 0;
    double c = 0;
    boolean incremental = false;
    for (int i = w.floatFrom + 1; i < w.floatTo; i++) {
      count = i - w.floatFrom + 1;
      if (!incremental) {
        double newSum = sum + v[i];
        double newC = KahanSum.compensation(v[i], sum, c);
        if (!Double.isInfinite(newSum)) {
          sum = newSum;
          c = newC;
          continue;
        }
        incremental = true;
        mean = sum / (count - 1);
        c /= (count - 1);
      }
      double q = (count - 1) / count;
      double inc = v[i] / count;
      double base = q * mean;
      double newC = KahanSum.compensation(inc, base, q * c);
      mean = base + inc;
      c = newC;
    }
    if (incremental) {
      return out.set(mean + c);
    }
    return out.set(sum / count + c / count);
  };

  /** {@code sum_over_time}. */
  public static final RangeKernel SUM = (w, out) -> {
    if (w.floatCount() > 0 && w.histCount() > 0) {
      w.warn(RateKernels.mixedWarning(w.metricName));
      return false;
    }
    if (w.floatCount() == 0) {
      if (w.histCount() == 0) {
        return false;
      }
      HistogramAccumulator acc = new HistogramAccumulator(w.histograms[w.histFrom]);
      for (int i = w.histFrom + 1; i < w.histTo; i++) {
        acc.add(w.histograms[i]);
      }
      return finish(w, out, acc, acc.incompatible() ? null : acc.sum(), "sum_over_time");
    }
    double sum = 0;
    double c = 0;
    for (int i = w.floatFrom; i < w.floatTo; i++) {
      double nc = KahanSum.compensation(w.floatValues[i], sum, c);
      sum += w.floatValues[i];
      c = nc;
    }
    if (Double.isInfinite(sum)) {
      return out.set(sum);
    }
    return out.set(sum + c);
  };

  private static boolean finish(RangeWindow w, KernelOutput out, HistogramAccumulator acc, FloatHistogram result,
      String function) {
    if (acc.incompatible()) {
      w.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \""
          + w.metricName + "\"");
      return false;
    }
    if (acc.counterResetCollision()) {
      w.warn("conflicting counter resets during histogram aggregation");
    }
    if (acc.customBoundsReconciled()) {
      w.info("mismatched custom buckets were reconciled during aggregation");
    }
    return out.set(result);
  }

  /** {@code count_over_time}. */
  public static final RangeKernel COUNT = (w, out) -> {
    int n = w.floatCount() + w.histCount();
    return n > 0 && out.set(n);
  };

  /** {@code present_over_time}. */
  public static final RangeKernel PRESENT = (w, out) -> w.floatCount() + w.histCount() > 0 && out.set(1);

  /** {@code last_over_time}: the latest sample of either kind. */
  public static final RangeKernel LAST = (w, out) -> {
    boolean hasF = w.floatCount() > 0;
    boolean hasH = w.histCount() > 0;
    if (!hasF && !hasH) {
      return false;
    }
    if (hasH && (!hasF || w.histTs[w.histTo - 1] > w.floatTs[w.floatTo - 1])) {
      return out.set(w.histograms[w.histTo - 1]);
    }
    return out.set(w.floatValues[w.floatTo - 1]);
  };

  /** {@code first_over_time}: the earliest sample of either kind. */
  public static final RangeKernel FIRST = (w, out) -> {
    boolean hasF = w.floatCount() > 0;
    boolean hasH = w.histCount() > 0;
    if (!hasF && !hasH) {
      return false;
    }
    if (hasH && (!hasF || w.histTs[w.histFrom] < w.floatTs[w.floatFrom])) {
      return out.set(w.histograms[w.histFrom]);
    }
    return out.set(w.floatValues[w.floatFrom]);
  };

  /** {@code ts_of_last_over_time}. */
  public static final RangeKernel TS_OF_LAST = (w, out) -> {
    long t = Long.MIN_VALUE;
    if (w.floatCount() > 0) {
      t = w.floatTs[w.floatTo - 1];
    }
    if (w.histCount() > 0) {
      t = Math.max(t, w.histTs[w.histTo - 1]);
    }
    return t != Long.MIN_VALUE && out.set(t / 1000.0);
  };

  /** {@code ts_of_first_over_time}. */
  public static final RangeKernel TS_OF_FIRST = (w, out) -> {
    long t = Long.MAX_VALUE;
    if (w.floatCount() > 0) {
      t = w.floatTs[w.floatFrom];
    }
    if (w.histCount() > 0) {
      t = Math.min(t, w.histTs[w.histFrom]);
    }
    return t != Long.MAX_VALUE && out.set(t / 1000.0);
  };

  /** {@code max_over_time}: floats only. */
  public static final RangeKernel MAX = (w, out) -> extreme(w, out, true, false);
  /** {@code min_over_time}: floats only. */
  public static final RangeKernel MIN = (w, out) -> extreme(w, out, false, false);
  /** {@code ts_of_max_over_time}: timestamp of the (last) maximum. */
  public static final RangeKernel TS_OF_MAX = (w, out) -> extreme(w, out, true, true);
  /** {@code ts_of_min_over_time}. */
  public static final RangeKernel TS_OF_MIN = (w, out) -> extreme(w, out, false, true);

  private static boolean extreme(RangeWindow w, KernelOutput out, boolean max, boolean timestamp) {
    if (w.floatCount() == 0) {
      return false;
    }
    if (w.histCount() > 0) {
      w.info(ignoredInfo(w));
    }
    double best = w.floatValues[w.floatFrom];
    long bestT = w.floatTs[w.floatFrom];
    for (int i = w.floatFrom; i < w.floatTo; i++) {
      double f = w.floatValues[i];
      boolean better = max ? f > best : f < best;
      if (timestamp) {
        better = better || (f == best && !Double.isNaN(f)) && i > w.floatFrom;
      }
      if (better || Double.isNaN(best)) {
        best = f;
        bestT = w.floatTs[i];
      }
    }
    return timestamp ? out.set(bestT / 1000.0) : out.set(best);
  }

  /** {@code stddev_over_time}. */
  public static final RangeKernel STDDEV = (w, out) -> variance(w, out, true);
  /** {@code stdvar_over_time}. */
  public static final RangeKernel STDVAR = (w, out) -> variance(w, out, false);

  private static boolean variance(RangeWindow w, KernelOutput out, boolean sqrt) {
    if (w.floatCount() == 0) {
      return false;
    }
    if (w.histCount() > 0) {
      w.info(ignoredInfo(w));
    }
    double count = 0;
    double mean = 0;
    double cMean = 0;
    double aux = 0;
    double cAux = 0;
    for (int i = w.floatFrom; i < w.floatTo; i++) {
      double f = w.floatValues[i];
      count++;
      double delta = f - (mean + cMean);
      double inc = delta / count;
      double ncMean = KahanSum.compensation(inc, mean, cMean);
      mean += inc;
      cMean = ncMean;
      double inc2 = delta * (f - (mean + cMean));
      double ncAux = KahanSum.compensation(inc2, aux, cAux);
      aux += inc2;
      cAux = ncAux;
    }
    double var = (aux + cAux) / count;
    return out.set(sqrt ? Math.sqrt(var) : var);
  }

  /** {@code quantile_over_time(q, range)}: {@code params[0]} is q. */
  public static final RangeKernel QUANTILE = (w, out) -> {
    if (w.floatCount() == 0) {
      return false;
    }
    if (w.histCount() > 0) {
      w.info(ignoredInfo(w));
    }
    double[] buf = new double[w.floatCount()];
    System.arraycopy(w.floatValues, w.floatFrom, buf, 0, w.floatCount());
    return out.set(FloatQuantiles.quantile(w.params[0], buf, w.floatCount()));
  };

  /** {@code mad_over_time}: median absolute deviation from the median. */
  public static final RangeKernel MAD = (w, out) -> {
    if (w.floatCount() == 0) {
      return false;
    }
    if (w.histCount() > 0) {
      w.info(ignoredInfo(w));
    }
    int n = w.floatCount();
    for (int i = w.floatFrom; i < w.floatTo; i++) {
      if (Double.isNaN(w.floatValues[i])) {
        return out.set(Double.NaN);
      }
    }
    double[] buf = new double[n];
    System.arraycopy(w.floatValues, w.floatFrom, buf, 0, n);
    double median = FloatQuantiles.quantile(0.5, buf, n);
    for (int i = 0; i < n; i++) {
      buf[i] = Math.abs(w.floatValues[w.floatFrom + i] - median);
    }
    return out.set(FloatQuantiles.quantile(0.5, buf, n));
  };

  /** {@code changes}: value changes between consecutive samples, a change of kind included. */
  public static final RangeKernel CHANGES = (w, out) -> countTransitions(w, out, false);
  /** {@code resets}: counter resets between consecutive samples, a change of kind included. */
  public static final RangeKernel RESETS = (w, out) -> countTransitions(w, out, true);

  private static boolean countTransitions(RangeWindow w, KernelOutput out, boolean resets) {
    int fi = w.floatFrom;
    int hi = w.histFrom;
    if (fi >= w.floatTo && hi >= w.histTo) {
      return false;
    }
    int count = 0;
    boolean first = true;
    double prevF = 0;
    FloatHistogram prevH = null;
    long prevT = 0;
    long prevSt = 0;
    while (fi < w.floatTo || hi < w.histTo) {
      double curF = 0;
      FloatHistogram curH = null;
      long curT;
      long curSt;
      if (hi >= w.histTo || (fi < w.floatTo && w.floatTs[fi] < w.histTs[hi])) {
        curT = w.floatTs[fi];
        curSt = StartTimestamps.at(w.floatSt, fi);
        curF = w.floatValues[fi++];
      } else {
        curT = w.histTs[hi];
        curSt = StartTimestamps.at(w.histSt, hi);
        curH = w.histograms[hi++];
      }
      if (!first && resets && StartTimestamps.isReset(prevSt, prevT, curSt, curT)) {
        count++;
      } else if (!first) {
        if (prevH == null && curH == null) {
          if (resets) {
            if (curF < prevF) {
              count++;
            }
          } else if (curF != prevF && !(Double.isNaN(curF) && Double.isNaN(prevF))) {
            count++;
          }
        } else if (prevH == null || curH == null) {
          count++;
        } else if (resets ? HistogramCounterResets.detectReset(prevH, curH)
            : !HistogramEquality.equal(prevH, curH)) {
          count++;
        }
      }
      first = false;
      prevF = curF;
      prevH = curH;
      prevT = curT;
      prevSt = curSt;
    }
    return out.set(count);
  }

}
