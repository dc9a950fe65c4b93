package dev.orrery.promql.function;

/**
 * The experimental {@code anchored} and {@code smoothed} range modifiers (Prometheus 3, PROM-52) for float samples.
 * Both use the sample at or before the window start (within the lookback delta) instead of extrapolating:
 * {@code anchored} takes that sample's value as the start value and the last sample in the window as the end value;
 * {@code smoothed} interpolates linearly at both window bounds (across a counter reset, as if the counter restarted
 * from zero). Resets between the chosen points are corrected as usual. Windows holding histograms yield nothing.
 */
public final class ExtendedRangeKernels {
  private ExtendedRangeKernels() {}

  /** {@code rate}, {@code increase} or {@code delta} with {@code anchored}. */
  public static RangeKernel anchored(boolean isCounter, boolean isRate) {
    return (w, out) -> {
      if (w.histCount() > 0 || (w.floatCount() == 0 && w.histTotal > 0)) {
        return ExtendedHistogramKernels.anchored(w, out, isCounter, isRate);
      }
      double[] pts = anchoredPoints(w);
      if (pts == null) {
        return false;
      }
      double v = increase(pts, isCounter);
      return out.set(isRate ? v / (w.rangeMillis / 1000.0) : v);
    };
  }

  /** {@code changes} ({@code resets == false}) or {@code resets} with {@code anchored}. */
  public static RangeKernel anchoredTransitions(boolean resets) {
    return (w, out) -> {
      if (w.histTotal > 0) {
        return ExtendedHistogramKernels.anchoredTransitions(w, out, resets);
      }
      double[] pts = anchoredPoints(w);
      if (pts == null) {
        return false;
      }
      int n = 0;
      for (int i = 1; i < pts.length; i++) {
        double prev = pts[i - 1];
        double cur = pts[i];
        if (resets ? cur < prev : cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
          n++;
        }
      }
      return out.set(n);
    };
  }

  /** {@code rate}, {@code increase} or {@code delta} with {@code smoothed}. */
  public static RangeKernel smoothed(boolean isCounter, boolean isRate) {
    return (w, out) -> {
      if (w.histCount() > 0 || (w.floatCount() == 0 && w.histTotal > 0)) {
        return ExtendedHistogramKernels.smoothed(w, out, isCounter, isRate);
      }
      long[] ts = w.floatTs;
      double[] v = w.floatValues;
      int from = w.floatFrom;
      int to = w.floatTo;
      long start = w.rangeStartMillis;
      long end = w.rangeEndMillis;
      int prevStart = from - 1;
      boolean hasPrevStart = prevStart >= 0 && ts[prevStart] > start - w.lookbackMillis;
      double left;
      if (hasPrevStart && from < ts.length && from < endOf(w)) {
        left = interpolate(ts[prevStart], v[prevStart], ts[from], v[from], start, isCounter);
      } else if (hasPrevStart) {
        left = v[prevStart];
      } else if (from < to) {
        left = v[from];
      } else {
        return false;
      }
      int prevEnd = to - 1;
      int next = to;
      double right;
      boolean hasNext = next < endOf(w) && ts[next] - end < w.lookbackMillis;
      if (prevEnd >= 0 && (prevEnd >= from || hasPrevStart) && hasNext) {
        right = interpolate(ts[prevEnd], v[prevEnd], ts[next], v[next], end, isCounter);
      } else if (prevEnd >= from && to > from) {
        right = v[prevEnd];
      } else {
        return false;
      }
      int inner = 0;
      for (int i = from; i < to; i++) {
        if (ts[i] < end) {
          inner++;
        }
      }
      double[] pts = new double[inner + 2];
      pts[0] = left;
      int k = 1;
      for (int i = from; i < to; i++) {
        if (ts[i] < end) {
          pts[k++] = v[i];
        }
      }
      pts[k] = right;
      double inc = increase(pts, isCounter);
      return out.set(isRate ? inc / (w.rangeMillis / 1000.0) : inc);
    };
  }

  private static int endOf(RangeWindow w) {
    return w.floatCount;
  }

  /** The value at {@code t} between two samples; across a counter reset the counter restarts from zero. */
  static double interpolate(long t0, double v0, long t1, double v1, long t, boolean isCounter) {
    if (t <= t0) {
      return v0;
    }
    if (t >= t1) {
      return v1;
    }
    double f = (double) (t - t0) / (t1 - t0);
    if (isCounter && v1 < v0) {
      return v1 * f;
    }
    return v0 + (v1 - v0) * f;
  }

  // The start value (sample at or before the window start within lookback, else the first in the window) followed
  // by the window's samples; null when the window has no float sample or holds histograms.
  private static double[] anchoredPoints(RangeWindow w) {
    if (w.histCount() > 0 || w.floatCount() == 0) {
      return null;
    }
    int from = w.floatFrom;
    int prev = from - 1;
    boolean hasPrev = prev >= 0 && w.floatTs[prev] > w.rangeStartMillis - w.lookbackMillis;
    int n = w.floatCount() + (hasPrev ? 1 : 0);
    double[] pts = new double[n];
    int k = 0;
    if (hasPrev) {
      pts[k++] = w.floatValues[prev];
    }
    for (int i = from; i < w.floatTo; i++) {
      pts[k++] = w.floatValues[i];
    }
    return pts;
  }

  private static double increase(double[] pts, boolean isCounter) {
    double result = pts[pts.length - 1] - pts[0];
    if (isCounter) {
      for (int i = 1; i < pts.length; i++) {
        if (pts[i] < pts[i - 1]) {
          result += pts[i - 1];
        }
      }
    }
    return result;
  }
}
