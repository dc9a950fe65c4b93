package dev.orrery.core.chunk;

import java.util.Arrays;

/**
 * A growable pair of primitive arrays that {@link SampleIterator#appendFloats} copies float samples into. The arrays may
 * be handed in ({@link #wrap}) so a caller's own buffer is filled in place, and taken back afterwards: they are
 * replaced by larger copies when they run out of room.
 *
 * <p>Confined to one thread.
 */
public final class FloatSamples {
  /** Timestamps in milliseconds, {@code [0, count)}. */
  public long[] ts;
  /** Values, raw bits preserved, parallel to {@link #ts}. */
  public double[] values;
  /** Number of samples held. */
  public int count;

  /** An empty buffer. */
  public FloatSamples() {
    this(new long[0], new double[0], 0);
  }

  private FloatSamples(long[] ts, double[] values, int count) {
    wrap(ts, values, count);
  }

  /** Appends to {@code ts}/{@code values}, which already hold {@code count} samples (same length, not copied). */
  public FloatSamples wrap(long[] ts, double[] values, int count) {
    if (ts.length != values.length || count < 0 || count > ts.length) {
      throw new IllegalArgumentException("arrays of " + ts.length + " and " + values.length + " with " + count);
    }
    this.ts = ts;
    this.values = values;
    this.count = count;
    return this;
  }

  /** Appends one sample. */
  public void add(long t, double v) {
    if (count == ts.length) {
      ensureRoom(1);
    }
    ts[count] = t;
    values[count++] = v;
  }

  /** An iterator over the samples held now, {@code [0, count)}; the arrays are not copied. */
  public SampleIterator iterator() {
    return new FloatSamplesIterator(ts, values, count);
  }

  /** Makes room for {@code n} more samples. */
  public void ensureRoom(int n) {
    int need = count + n;
    if (need > ts.length) {
      int size = Math.max(need, Math.max(16, ts.length * 2));
      ts = Arrays.copyOf(ts, size);
      values = Arrays.copyOf(values, size);
    }
  }
}
