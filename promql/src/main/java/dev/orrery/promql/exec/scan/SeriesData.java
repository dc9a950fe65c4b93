package dev.orrery.promql.exec.scan;

import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.labels.Labels;
import java.util.Arrays;

/**
 * A buffer of one series' samples, split into float and histogram arrays (each in time order), the form range windows
 * index into. Selectors fill it lazily from the storage iterator as evaluation advances ({@link #fillTo}) and drop
 * what no later step can use ({@link #discardBefore}), so memory follows the window, not the query range; subqueries
 * fill it at once. Confined to the query's thread.
 */
public final class SeriesData {
  final Labels labels;
  final boolean dropName;
  /**
   * How far past an evaluation time selectors decode ahead, so storage hands over samples in bulk rather than one per
   * step; bounded so that a buffer holds at most this much beyond the window.
   */
  static final long FILL_AHEAD_MILLIS = 10 * 60_000L;

  long[] floatTs = new long[8];
  double[] floatValues = new double[8];
  int floatCount;
  long[] histTs = new long[0];
  FloatHistogram[] histograms = new FloatHistogram[0];
  int histCount;
  // Start timestamps parallel to the samples, allocated when the first known one arrives; 0 means unknown.
  long[] floatSt;
  long[] histSt;
  private Source source;
  private long filledTo = Long.MIN_VALUE;

  /** Where lazily decoded samples come from. */
  interface Source {
    /** Appends the samples with timestamps up to {@code maxT}; returns true when the series is exhausted. */
    boolean fill(SeriesData into, long maxT);
  }

  /** An empty series. */
  public SeriesData(Labels labels, boolean dropName) {
    this.labels = labels;
    this.dropName = dropName;
  }

  /** A buffer filled on demand from {@code source}. */
  SeriesData(Labels labels, Source source) {
    this(labels, false);
    this.source = source;
  }

  /** Decodes every sample up to {@code maxT} (inclusive) into the buffer. */
  public void fillTo(long maxT) {
    if (source == null || maxT <= filledTo) {
      return;
    }
    filledTo = maxT;
    if (source.fill(this, maxT)) {
      source = null;
    }
  }

  /**
   * Drops the samples at or before {@code t} except the newest of each kind, which lookback and the anchored
   * modifier may still need. Compacts only when that frees at least half the buffer, so dropping is amortised O(1).
   */
  public void discardBefore(long t) {
    if (floatCount > 32) {
      discardFloatsBefore(t);
    }
    if (histCount > 32) {
      discardHistogramsBefore(t);
    }
  }

  private void discardFloatsBefore(long t) {
    int f = upperBound(floatTs, floatCount, t) - 1;
    if (f > 16 && f > floatCount / 2) {
      System.arraycopy(floatTs, f, floatTs, 0, floatCount - f);
      System.arraycopy(floatValues, f, floatValues, 0, floatCount - f);
      if (floatSt != null) {
        System.arraycopy(floatSt, f, floatSt, 0, floatCount - f);
      }
      floatCount -= f;
    }
  }

  private void discardHistogramsBefore(long t) {
    int h = upperBound(histTs, histCount, t) - 1;
    if (h > 16 && h > histCount / 2) {
      System.arraycopy(histTs, h, histTs, 0, histCount - h);
      System.arraycopy(histograms, h, histograms, 0, histCount - h);
      if (histSt != null) {
        System.arraycopy(histSt, h, histSt, 0, histCount - h);
      }
      java.util.Arrays.fill(histograms, histCount - h, histCount, null);
      histCount -= h;
    }
  }

  /** The labels. */
  public Labels labels() {
    return labels;
  }

  /** Whether the name is dropped when the result is assembled. */
  public boolean dropName() {
    return dropName;
  }

  /** Appends a float sample (timestamps must increase). */
  public void addFloat(long t, double v) {
    addFloat(t, v, 0);
  }

  /** Appends a float sample with its start timestamp (0 when unknown). */
  void addFloat(long t, double v, long st) {
    if (floatCount == floatTs.length) {
      floatTs = Arrays.copyOf(floatTs, floatCount * 2);
      floatValues = Arrays.copyOf(floatValues, floatCount * 2);
      if (floatSt != null) {
        floatSt = Arrays.copyOf(floatSt, floatCount * 2);
      }
    }
    if (st != 0 && floatSt == null) {
      floatSt = new long[floatTs.length];
    }
    if (floatSt != null) {
      floatSt[floatCount] = st;
    }
    floatTs[floatCount] = t;
    floatValues[floatCount++] = v;
  }

  /**
   * Appends the float samples that {@code it} yields up to {@code maxT} in bulk ({@link SampleIterator#appendFloats}),
   * dropping stale markers unless {@code keepStale}; returns the type of the sample the iterator stopped at. Not for
   * series that carry start timestamps.
   */
  ValueType appendFloats(SampleIterator it, FloatSamples scratch, long maxT, boolean keepStale) {
    int from = floatCount;
    scratch.wrap(floatTs, floatValues, floatCount);
    ValueType stoppedAt = it.appendFloats(scratch, maxT);
    floatTs = scratch.ts;
    floatValues = scratch.values;
    floatCount = scratch.count;
    if (!keepStale) {
      dropStaleFloats(from);
    }
    return stoppedAt;
  }

  // Removes stale markers from the floats at and after index from.
  private void dropStaleFloats(int from) {
    int w = from;
    for (int r = from; r < floatCount; r++) {
      if (!SeriesLoader.isStale(floatValues[r])) {
        floatTs[w] = floatTs[r];
        floatValues[w++] = floatValues[r];
      }
    }
    floatCount = w;
  }

  /** Appends a histogram sample (timestamps must increase). */
  public void addHistogram(long t, FloatHistogram h) {
    addHistogram(t, h, 0);
  }

  /** Appends a histogram sample with its start timestamp (0 when unknown). */
  void addHistogram(long t, FloatHistogram h, long st) {
    if (histCount == histTs.length) {
      int n = Math.max(8, histCount * 2);
      histTs = Arrays.copyOf(histTs, n);
      histograms = Arrays.copyOf(histograms, n);
      if (histSt != null) {
        histSt = Arrays.copyOf(histSt, n);
      }
    }
    if (st != 0 && histSt == null) {
      histSt = new long[histTs.length];
    }
    if (histSt != null) {
      histSt[histCount] = st;
    }
    histTs[histCount] = t;
    histograms[histCount++] = h;
  }

  /** Total samples held. */
  public int size() {
    return floatCount + histCount;
  }

  /** The samples in {@code (startExclusive, endInclusive]} as a result series (name dropped if it is to be). */
  public dev.orrery.promql.engine.TimeSeries window(long startExclusive, long endInclusive) {
    int f0 = upperBound(floatTs, floatCount, startExclusive);
    int f1 = upperBound(floatTs, floatCount, endInclusive);
    int h0 = upperBound(histTs, histCount, startExclusive);
    int h1 = upperBound(histTs, histCount, endInclusive);
    return new dev.orrery.promql.engine.TimeSeries(
        dropName ? dev.orrery.promql.exec.SeriesInfo.withoutNameAndMetadata(labels) : labels,
        Arrays.copyOfRange(floatTs, f0, f1), Arrays.copyOfRange(floatValues, f0, f1),
        Arrays.copyOfRange(histTs, h0, h1), Arrays.copyOfRange(histograms, h0, h1));
  }

  /**
   * Index of the last entry in {@code ts[0, n)} at or before {@code t}, or -1, searching forward from {@code cursor}
   * (a previous answer for an earlier or equal {@code t}, or -1): evaluation steps move forward, mostly by a few
   * samples.
   */
  static int advance(long[] ts, int n, int cursor, long t) {
    int i = cursor;
    for (int k = 0; k < 8; k++) {
      if (i + 1 >= n || ts[i + 1] > t) {
        return i;
      }
      i++;
    }
    return upperBound(ts, n, t) - 1;
  }

  /** Index of the first entry in {@code ts[0, n)} greater than {@code t}. */
  static int upperBound(long[] ts, int n, long t) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
