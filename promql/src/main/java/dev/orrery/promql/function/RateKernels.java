package dev.orrery.promql.function;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.core.histogram.HistogramCounterResets;

/**
 * {@code rate}, {@code increase}, {@code delta} (Prometheus 3's {@code extrapolatedRate}, with counter resets and
 * extrapolation to the window bounds) and {@code irate}, {@code idelta} ({@code instantValue}), for floats and native
 * histograms.
 */
public final class RateKernels {
  private RateKernels() {}

  /** {@code rate}. */
  public static final RangeKernel RATE = (w, out) -> checkCounterName(w, extrapolatedRate(w, out, true, true));
  /** {@code increase}. */
  public static final RangeKernel INCREASE = (w, out) -> checkCounterName(w, extrapolatedRate(w, out, true, false));

  /**
   * Prometheus' {@code PossibleNonCounterInfo}: a float rate over a metric whose name does not end in
   * {@code _total}, {@code _sum}, {@code _count} or {@code _bucket} may not be over a counter.
   */
  private static boolean checkCounterName(RangeWindow w, boolean produced) {
    if (produced && w.floatCount() > 0 && !w.hasCounterName()) {
      String name = w.metricName;
      w.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"" + name + "\"");
    }
    return produced;
  }
  /** {@code delta}. */
  public static final RangeKernel DELTA = (w, out) -> extrapolatedRate(w, out, false, false);
  /** {@code irate}. */
  public static final RangeKernel IRATE = (w, out) -> instantValue(w, out, true);
  /** {@code idelta}. */
  public static final RangeKernel IDELTA = (w, out) -> instantValue(w, out, false);

  static String mixedWarning(String metricName) {
    return "encountered a mix of histograms and floats for metric name \"" + metricName + "\"";
  }

  private static boolean extrapolatedRate(RangeWindow w, KernelOutput out, boolean isCounter, boolean isRate) {
    int nf = w.floatCount();
    int nh = w.histCount();
    if (nf > 0 && nh > 0) {
      w.warn(mixedWarning(w.metricName));
      return false;
    }
    double resultFloat = 0;
    FloatHistogram resultHistogram = null;
    long firstT;
    long lastT;
    int numSamplesMinusOne;
    long firstSt = nf > 0 ? StartTimestamps.at(w.floatSt, w.floatFrom)
        : nh > 0 ? StartTimestamps.at(w.histSt, w.histFrom) : 0;
    // A known start inside the range: count up from zero there instead of extrapolating to the left.
    boolean zeroAtStart = isCounter && firstSt != 0 && firstSt > w.rangeStartMillis
        && firstSt < (nf > 0 ? w.floatTs[w.floatFrom] : nh > 0 ? w.histTs[w.histFrom] : Long.MIN_VALUE);
    if (isCounter) {
      warnOverlaps(w);
    }
    if (nh > 1 || (nh == 1 && zeroAtStart)) {
      numSamplesMinusOne = nh - 1;
      firstT = w.histTs[w.histFrom];
      lastT = w.histTs[w.histTo - 1];
      resultHistogram = nh == 1 ? HistogramArithmetic.withHint(HistogramArithmetic.scale(w.histograms[w.histFrom], 0),
          CounterResetHint.GAUGE) : histogramRate(w, isCounter);
      if (resultHistogram == null) {
        return false;
      }
    } else if (nf > 1 || (nf == 1 && zeroAtStart)) {
      numSamplesMinusOne = nf - 1;
      double[] v = w.floatValues;
      firstT = w.floatTs[w.floatFrom];
      lastT = w.floatTs[w.floatTo - 1];
      resultFloat = v[w.floatTo - 1] - v[w.floatFrom];
      if (isCounter) {
        double prev = v[w.floatFrom];
        if (w.floatSt == null) {
          // No start timestamps (the usual case): a reset is a decrease.
          for (int i = w.floatFrom + 1; i < w.floatTo; i++) {
            double cur = v[i];
            if (cur < prev) {
              resultFloat += prev;
            }
            prev = cur;
          }
        } else {
          for (int i = w.floatFrom + 1; i < w.floatTo; i++) {
            if (v[i] < prev || StartTimestamps.isReset(StartTimestamps.at(w.floatSt, i - 1), w.floatTs[i - 1],
                StartTimestamps.at(w.floatSt, i), w.floatTs[i])) {
              resultFloat += prev;
            }
            prev = v[i];
          }
        }
      }
    } else {
      return false;
    }
    double durationToStart = (firstT - w.rangeStartMillis) / 1000.0;
    double durationToEnd = (w.rangeEndMillis - lastT) / 1000.0;
    double sampledInterval = (lastT - firstT) / 1000.0;
    double averageDurationBetweenSamples = numSamplesMinusOne > 0 ? sampledInterval / numSamplesMinusOne : 0;
    double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
    if (zeroAtStart) {
      durationToStart = 0;
      sampledInterval = (lastT - firstSt) / 1000.0;
      if (resultHistogram != null) {
        HistogramArithmetic.Result r = HistogramArithmetic.add(resultHistogram, w.histograms[w.histFrom]);
        if (r.incompatible()) {
          return false;
        }
        resultHistogram = r.value();
      } else {
        resultFloat += w.floatValues[w.floatFrom];
      }
    } else if (durationToStart >= extrapolationThreshold) {
      durationToStart = averageDurationBetweenSamples / 2;
    }
    if (sampledInterval <= 0) {
      return false;
    }
    if (isCounter && !zeroAtStart) {
      double durationToZero = durationToStart;
      if (resultFloat > 0 && nf > 0 && w.floatValues[w.floatFrom] >= 0) {
        durationToZero = sampledInterval * (w.floatValues[w.floatFrom] / resultFloat);
      } else if (resultHistogram != null && resultHistogram.count() > 0 && nh > 0
          && w.histograms[w.histFrom].count() >= 0) {
        durationToZero = sampledInterval * (w.histograms[w.histFrom].count() / resultHistogram.count());
      }
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    if (durationToEnd >= extrapolationThreshold) {
      durationToEnd = averageDurationBetweenSamples / 2;
    }
    double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    if (isRate) {
      factor /= w.rangeMillis / 1000.0;
    }
    if (resultHistogram == null) {
      return out.set(resultFloat * factor);
    }
    return out.set(HistogramArithmetic.scale(resultHistogram, factor));
  }

  private static void warnOverlaps(RangeWindow w) {
    if (w.floatSt == null && w.histSt == null) {
      return; // only known start timestamps can overlap
    }
    boolean overlap = false;
    for (int i = w.floatFrom + 1; i < w.floatTo && !overlap; i++) {
      overlap = StartTimestamps.overlaps(StartTimestamps.at(w.floatSt, i - 1), w.floatTs[i - 1],
          StartTimestamps.at(w.floatSt, i));
    }
    for (int i = w.histFrom + 1; i < w.histTo && !overlap; i++) {
      overlap = StartTimestamps.overlaps(StartTimestamps.at(w.histSt, i - 1), w.histTs[i - 1],
          StartTimestamps.at(w.histSt, i));
    }
    if (overlap) {
      w.warn("sample has start time that overlaps with previous sample timestamp for metric \"" + w.metricName
          + "\"");
    }
  }

  /** Prometheus' {@code histogramRate}: last minus first, plus every value lost to a counter reset. */
  private static FloatHistogram histogramRate(RangeWindow w, boolean isCounter) {
    FloatHistogram[] hs = w.histograms;
    FloatHistogram prev = hs[w.histFrom];
    FloatHistogram last = hs[w.histTo - 1];
    boolean custom = HistogramArithmetic.usesCustomBuckets(prev);
    int minSchema = Math.min(prev.schema(), last.schema());
    if (HistogramArithmetic.usesCustomBuckets(last) != custom) {
      if (isCounter && w.histCount() == 2) {
        // A switch between exponential and custom buckets is a counter reset: the increase is the last value.
        if (last.counterResetHint() == CounterResetHint.GAUGE) {
          w.warn("this native histogram metric is not a counter: \"" + w.metricName + "\"");
        }
        return HistogramArithmetic.compact(HistogramArithmetic.withHint(last, CounterResetHint.GAUGE));
      }
      w.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \""
          + w.metricName + "\"");
      return null;
    }
    boolean notCounter = false;
    for (int i = w.histFrom; i < w.histTo; i++) {
      FloatHistogram h = hs[i];
      if (h.counterResetHint() == CounterResetHint.GAUGE) {
        notCounter = true;
      }
      if (i > w.histFrom && i < w.histTo - 1) {
        minSchema = Math.min(minSchema, h.schema());
        if (HistogramArithmetic.usesCustomBuckets(h) != custom) {
          w.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \""
              + w.metricName + "\"");
          return null;
        }
      }
    }
    if (isCounter && notCounter) {
      w.warn("this native histogram metric is not a counter: \"" + w.metricName + "\"");
    }
    HistogramArithmetic.Result r = HistogramArithmetic.sub(HistogramArithmetic.reduceResolution(last, minSchema), prev);
    if (r.incompatible()) {
      return null;
    }
    FloatHistogram h = r.value();
    boolean reconciled = r.customBoundsReconciled();
    if (isCounter) {
      for (int i = w.histFrom + 1; i < w.histTo; i++) {
        FloatHistogram curr = hs[i];
        if (HistogramCounterResets.detectReset(prev, curr) || StartTimestamps.isReset(StartTimestamps.at(w.histSt, i - 1),
            w.histTs[i - 1], StartTimestamps.at(w.histSt, i), w.histTs[i])) {
          HistogramArithmetic.Result a = HistogramArithmetic.add(h, prev);
          if (a.incompatible()) {
            return null;
          }
          reconciled |= a.customBoundsReconciled();
          h = a.value();
        }
        prev = curr;
      }
    } else if (hs[w.histFrom].counterResetHint() != CounterResetHint.GAUGE
        || last.counterResetHint() != CounterResetHint.GAUGE) {
      w.warn("this native histogram metric is not a gauge: \"" + w.metricName + "\"");
    }
    if (reconciled) {
      w.info("mismatched custom buckets were reconciled during subtraction");
    }
    return HistogramArithmetic.compact(HistogramArithmetic.withHint(h, CounterResetHint.GAUGE));
  }

  private static boolean instantValue(RangeWindow w, KernelOutput out, boolean isRate) {
    // The last two samples of either kind, in time order.
    long t0 = 0;
    long t1 = 0;
    double f0 = 0;
    double f1 = 0;
    FloatHistogram h0 = null;
    FloatHistogram h1 = null;
    long st0 = 0;
    long st1 = 0;
    int n = 0;
    for (int i = Math.max(w.floatFrom, w.floatTo - 2); i < w.floatTo; i++) {
      if (n == 0) {
        t0 = w.floatTs[i];
        f0 = w.floatValues[i];
        st0 = StartTimestamps.at(w.floatSt, i);
      } else {
        t1 = w.floatTs[i];
        f1 = w.floatValues[i];
        st1 = StartTimestamps.at(w.floatSt, i);
      }
      n++;
    }
    for (int i = Math.max(w.histFrom, w.histTo - 2); i < w.histTo; i++) {
      long t = w.histTs[i];
      FloatHistogram h = w.histograms[i];
      long st = StartTimestamps.at(w.histSt, i);
      if (n == 0) {
        t0 = t;
        h0 = h;
        st0 = st;
        n = 1;
      } else if (n == 1) {
        if (t < t0) {
          t1 = t0;
          f1 = f0;
          h1 = h0;
          st1 = st0;
          t0 = t;
          h0 = h;
          st0 = st;
        } else {
          t1 = t;
          h1 = h;
          st1 = st;
        }
        n = 2;
      } else if (t < t0) {
        // older than both: ignore
      } else if (t > t1) {
        t0 = t1;
        f0 = f1;
        h0 = h1;
        st0 = st1;
        t1 = t;
        h1 = h;
        st1 = st;
      } else {
        t0 = t;
        h0 = h;
        st0 = st;
      }
    }
    if (n < 2) {
      return false;
    }
    double resultValue = 0;
    FloatHistogram resultHistogram = null;
    if (h0 == null && h1 == null) {
      boolean reset = f1 < f0 || StartTimestamps.isReset(st0, t0, st1, t1);
      resultValue = isRate && reset ? f1 : f1 - f0;
    } else if (h0 != null && h1 != null) {
      boolean gauge0 = h0.counterResetHint() == CounterResetHint.GAUGE;
      boolean gauge1 = h1.counterResetHint() == CounterResetHint.GAUGE;
      if (isRate && (gauge0 || gauge1)) {
        w.warn("this native histogram metric is not a counter: \"" + w.metricName + "\"");
      }
      if (!isRate && !(gauge0 && gauge1)) {
        w.warn("this native histogram metric is not a gauge: \"" + w.metricName + "\"");
      }
      if (isRate && (HistogramCounterResets.detectReset(h0, h1) || StartTimestamps.isReset(st0, t0, st1, t1))) {
        resultHistogram = h1;
      } else {
        HistogramArithmetic.Result r = HistogramArithmetic.sub(h1, h0);
        if (r.incompatible()) {
          w.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \""
              + w.metricName + "\"");
          return false;
        }
        if (r.customBoundsReconciled()) {
          w.info("mismatched custom buckets were reconciled during subtraction");
        }
        resultHistogram = r.value();
      }
      resultHistogram = HistogramArithmetic.compact(HistogramArithmetic.withHint(resultHistogram,
          CounterResetHint.GAUGE));
    } else {
      w.warn(mixedWarning(w.metricName));
      return false;
    }
    if (isRate) {
      long interval = t1 - t0;
      if (interval == 0) {
        return false;
      }
      if (resultHistogram != null) {
        return out.set(HistogramArithmetic.divide(resultHistogram, interval / 1000.0));
      }
      return out.set(resultValue / (interval / 1000.0));
    }
    return resultHistogram != null ? out.set(resultHistogram) : out.set(resultValue);
  }
}
