package dev.orrery.promql.function;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.core.histogram.HistogramCounterResets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code anchored} and {@code smoothed} modifiers over native histograms (see {@link ExtendedRangeKernels} for
 * the floats). Counter resets between the chosen points are found from the values, not the stored hints, so an
 * interpolated boundary next to a post-reset sample is not counted twice.
 */
final class ExtendedHistogramKernels {
  private ExtendedHistogramKernels() {}

  private static String mixedSchemas(RangeWindow w) {
    return "vector contains a mix of histograms with exponential and custom buckets schemas for metric name \""
        + w.metricName + "\"";
  }

  static boolean anchored(RangeWindow w, KernelOutput out, boolean isCounter, boolean isRate) {
    List<FloatHistogram> pts = anchoredPoints(w);
    if (pts == null) {
      return false;
    }
    return finish(w, out, pts, isCounter, isRate);
  }

  /**
   * {@code changes}/{@code resets} with {@code anchored} over windows holding histograms: the anchor is the newest
   * sample of either kind at or before the window start; a switch between floats and histograms counts once.
   */
  static boolean anchoredTransitions(RangeWindow w, KernelOutput out, boolean resets) {
    if (w.floatCount() == 0 && w.histCount() == 0) {
      return false;
    }
    long limit = w.rangeStartMillis - w.lookbackMillis;
    int fi = w.floatFrom - 1;
    int hi = w.histFrom - 1;
    long ft = fi >= 0 ? w.floatTs[fi] : Long.MIN_VALUE;
    long ht = hi >= 0 ? w.histTs[hi] : Long.MIN_VALUE;
    int f = w.floatFrom;
    int h = w.histFrom;
    boolean havePrev = false;
    boolean prevHist = false;
    double prevF = 0;
    FloatHistogram prevH = null;
    if (ft > ht && ft > limit) {
      havePrev = true;
      prevF = w.floatValues[fi];
    } else if (ht > ft && ht > limit) {
      havePrev = true;
      prevHist = true;
      prevH = w.histograms[hi];
    }
    int n = 0;
    while (f < w.floatTo || h < w.histTo) {
      boolean isHist = f >= w.floatTo || (h < w.histTo && w.histTs[h] < w.floatTs[f]);
      double curF = isHist ? 0 : w.floatValues[f++];
      FloatHistogram curH = isHist ? w.histograms[h++] : null;
      if (havePrev) {
        if (isHist != prevHist) {
          n++;
        } else if (isHist) {
          if (resets ? HistogramCounterResets.detectReset(prevH, curH) : !HistogramEquality.equal(prevH, curH)) {
            n++;
          }
        } else if (resets ? curF < prevF : curF != prevF && !(Double.isNaN(curF) && Double.isNaN(prevF))) {
          n++;
        }
      }
      havePrev = true;
      prevHist = isHist;
      prevF = curF;
      prevH = curH;
    }
    return out.set(n);
  }

  private static List<FloatHistogram> anchoredPoints(RangeWindow w) {
    if (w.histCount() == 0) {
      return null;
    }
    List<FloatHistogram> pts = new ArrayList<>();
    int prev = w.histFrom - 1;
    if (prev >= 0 && w.histTs[prev] > w.rangeStartMillis - w.lookbackMillis) {
      pts.add(w.histograms[prev]);
    }
    for (int i = w.histFrom; i < w.histTo; i++) {
      pts.add(w.histograms[i]);
    }
    return pts;
  }

  static boolean smoothed(RangeWindow w, KernelOutput out, boolean isCounter, boolean isRate) {
    FloatHistogram[] hs = w.histograms;
    long[] ts = w.histTs;
    int from = w.histFrom;
    int to = w.histTo;
    long start = w.rangeStartMillis;
    long end = w.rangeEndMillis;
    int prevStart = from - 1;
    boolean hasPrevStart = prevStart >= 0 && ts[prevStart] > start - w.lookbackMillis;
    FloatHistogram left;
    if (hasPrevStart && from < w.histTotal) {
      left = interpolate(w, ts[prevStart], hs[prevStart], ts[from], hs[from], start, isCounter);
    } else if (hasPrevStart) {
      left = hs[prevStart];
    } else if (from < to) {
      left = hs[from];
    } else {
      return false;
    }
    if (left == null) {
      return false;
    }
    int prevEnd = to - 1;
    boolean hasNext = to < w.histTotal && ts[to] - end < w.lookbackMillis;
    FloatHistogram right;
    if (prevEnd >= 0 && (prevEnd >= from || hasPrevStart) && hasNext) {
      right = interpolate(w, ts[prevEnd], hs[prevEnd], ts[to], hs[to], end, isCounter);
    } else if (prevEnd >= from && to > from) {
      right = hs[prevEnd];
    } else {
      return false;
    }
    if (right == null) {
      return false;
    }
    List<FloatHistogram> pts = new ArrayList<>();
    pts.add(left);
    for (int i = from; i < to; i++) {
      if (ts[i] < end) {
        pts.add(hs[i]);
      }
    }
    pts.add(right);
    // Hints of the samples just outside the window matter for the gauge/counter warnings too.
    if (hasPrevStart) {
      pts.set(0, withHintOf(left, hs[prevStart]));
    }
    return finish(w, out, pts, isCounter, isRate);
  }

  private static FloatHistogram withHintOf(FloatHistogram h, FloatHistogram source) {
    return source.counterResetHint() == CounterResetHint.GAUGE
        ? HistogramArithmetic.withHint(h, CounterResetHint.GAUGE) : h;
  }

  // h0 + (h1 - h0) * f, or h1 * f across a counter reset; null (with a warning) when the schemas cannot mix.
  private static FloatHistogram interpolate(RangeWindow w, long t0, FloatHistogram h0, long t1, FloatHistogram h1,
      long t, boolean isCounter) {
    if (t <= t0) {
      return h0;
    }
    if (t >= t1) {
      return h1;
    }
    double f = (double) (t - t0) / (t1 - t0);
    if (HistogramArithmetic.usesCustomBuckets(h0) != HistogramArithmetic.usesCustomBuckets(h1)) {
      w.warn(mixedSchemas(w));
      return null;
    }
    if (isCounter && h1.counterResetHint() != CounterResetHint.GAUGE && HistogramCounterResets.detectReset(h0, h1)) {
      return HistogramArithmetic.scale(h1, f);
    }
    HistogramArithmetic.Result a = HistogramArithmetic.add(HistogramArithmetic.scale(h0, 1 - f),
        HistogramArithmetic.scale(h1, f));
    return a.value();
  }

  private static FloatHistogram unhinted(FloatHistogram h) {
    return HistogramArithmetic.withHint(h, CounterResetHint.UNKNOWN);
  }

  private static boolean finish(RangeWindow w, KernelOutput out, List<FloatHistogram> pts, boolean isCounter,
      boolean isRate) {
    boolean custom = HistogramArithmetic.usesCustomBuckets(pts.get(0));
    boolean gaugeSeen = false;
    boolean nonGaugeSeen = false;
    for (FloatHistogram h : pts) {
      if (HistogramArithmetic.usesCustomBuckets(h) != custom) {
        w.warn(mixedSchemas(w));
        return false;
      }
      if (h.counterResetHint() == CounterResetHint.GAUGE) {
        gaugeSeen = true;
      } else {
        nonGaugeSeen = true;
      }
    }
    if (isCounter && gaugeSeen) {
      w.warn("this native histogram metric is not a counter: \"" + w.metricName + "\"");
    }
    if (!isCounter && nonGaugeSeen) {
      w.warn("this native histogram metric is not a gauge: \"" + w.metricName + "\"");
    }
    FloatHistogram first = pts.get(0);
    FloatHistogram last = pts.get(pts.size() - 1);
    HistogramArithmetic.Result r = HistogramArithmetic.sub(last, first);
    if (r.incompatible()) {
      w.warn(mixedSchemas(w));
      return false;
    }
    FloatHistogram result = r.value();
    if (isCounter) {
      for (int i = 1; i < pts.size(); i++) {
        FloatHistogram prev = pts.get(i - 1);
        if (HistogramCounterResets.detectReset(unhinted(prev), unhinted(pts.get(i)))) {
          HistogramArithmetic.Result a = HistogramArithmetic.add(result, prev);
          if (a.incompatible()) {
            w.warn(mixedSchemas(w));
            return false;
          }
          result = a.value();
        }
      }
    }
    if (isRate) {
      result = HistogramArithmetic.divide(result, w.rangeMillis / 1000.0);
    }
    return out.set(HistogramArithmetic.compact(HistogramArithmetic.withHint(result, CounterResetHint.GAUGE)));
  }
}
