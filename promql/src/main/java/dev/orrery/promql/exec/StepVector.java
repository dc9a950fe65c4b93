package dev.orrery.promql.exec;

import dev.orrery.core.histogram.FloatHistogram;
import java.util.Arrays;

/**
 * All samples of one evaluation step: parallel arrays of series ids, float values and histograms ({@code null} for a
 * float sample). Entries are in output order (which matters only where PromQL defines one, e.g. {@code sort}).
 * Reused across batches: {@link #reset(long)} keeps the arrays. Confined to one thread.
 */
public final class StepVector {
  /** The step's timestamp in milliseconds. */
  public long t;
  /** Number of samples. */
  public int size;
  /** Series ids, {@code [0, size)}. */
  public int[] ids = new int[4];
  /** Float values (ignored where {@link #histograms} is non-null). */
  public double[] values = new double[4];
  /** Histogram values, {@code null} for float samples. */
  public FloatHistogram[] histograms = new FloatHistogram[4];
  /** Whether {@link #histograms} may hold a non-null entry, so {@link #reset} must clear it (floats-only skip that). */
  private boolean mayHoldHistograms;

  /** Empties the vector for step {@code t}, keeping capacity. */
  public void reset(long t) {
    this.t = t;
    if (mayHoldHistograms) {
      Arrays.fill(histograms, 0, size, null);
      mayHoldHistograms = false;
    }
    size = 0;
  }

  private void grow(int min) {
    if (min > ids.length) {
      int n = Math.max(min, ids.length * 2);
      ids = Arrays.copyOf(ids, n);
      values = Arrays.copyOf(values, n);
      histograms = Arrays.copyOf(histograms, n);
    }
  }

  /** Makes room for {@code n} samples. */
  public void ensureCapacity(int n) {
    grow(n);
  }

  /** Appends a float sample. */
  public void add(int id, double v) {
    grow(size + 1);
    ids[size] = id;
    values[size] = v;
    histograms[size++] = null;
  }

  /** Appends a histogram sample. */
  public void addHistogram(int id, FloatHistogram h) {
    grow(size + 1);
    ids[size] = id;
    values[size] = 0;
    histograms[size++] = h;
    mayHoldHistograms = true;
  }

  /** Exchanges the whole contents (time, samples and arrays) with {@code other}. */
  public void swapContents(StepVector other) {
    long t = this.t;
    this.t = other.t;
    other.t = t;
    int size = this.size;
    this.size = other.size;
    other.size = size;
    int[] ids = this.ids;
    this.ids = other.ids;
    other.ids = ids;
    double[] values = this.values;
    this.values = other.values;
    other.values = values;
    FloatHistogram[] hs = this.histograms;
    this.histograms = other.histograms;
    other.histograms = hs;
    boolean may = this.mayHoldHistograms;
    this.mayHoldHistograms = other.mayHoldHistograms;
    other.mayHoldHistograms = may;
  }

  /** Appends sample {@code i} of {@code other} under id {@code id}. */
  public void addFrom(StepVector other, int i, int id) {
    if (other.histograms[i] != null) {
      addHistogram(id, other.histograms[i]);
    } else {
      add(id, other.values[i]);
    }
  }

  /** Keeps the first {@code n} samples (after an in-place compaction), releasing the histograms beyond them. */
  public void truncate(int n) {
    Arrays.fill(histograms, n, size, null);
    size = n;
  }

  /** True when sample {@code i} is a histogram. */
  public boolean isHistogram(int i) {
    return histograms[i] != null;
  }

  /** New vectors for a batch of {@code n} steps. */
  public static StepVector[] newBatch(int n) {
    StepVector[] out = new StepVector[n];
    for (int i = 0; i < n; i++) {
      out[i] = new StepVector();
    }
    return out;
  }
}
