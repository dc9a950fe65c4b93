package dev.orrery.core.chunk;

import dev.orrery.core.histogram.FloatHistogram;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Encodes float native histograms into a float histogram chunk (encoding 3, FORMATS.md 2.7) with the same writes as
 * Prometheus' {@code FloatHistogramAppender}: sample 0 as raw 64-bit fields, later samples XOR-coded field by field,
 * each field with its own window. What fits a chunk is described in {@link NativeHistogramAppender}.
 *
 * <p>Confined to one thread; {@link #reset()} makes it reusable.
 */
public final class FloatHistogramAppender extends NativeHistogramAppender<FloatHistogram> {
  private static final int COUNT = 0;
  private static final int ZERO_COUNT = 1;
  private static final int SUM = 2;
  private static final int FIRST_BUCKET = 3;

  /** Raw bits of count, zero count, sum and every bucket of the previous sample; two window ints per field. */
  private long[] fields = new long[FIRST_BUCKET];
  private int[] windows = new int[2 * FIRST_BUCKET];

  /** An empty chunk in Prometheus 3.x form. */
  public FloatHistogramAppender() {
    this(WriterCompatibility.PROMETHEUS_3);
  }

  /** An empty chunk in the form written by {@code compatibility}. */
  public FloatHistogramAppender(WriterCompatibility compatibility) {
    this(compatibility, false);
  }

  /** With {@code startTimestamps}, writes the ST variant (encoding 6) instead; see {@link FloatHistogramStChunk}. */
  FloatHistogramAppender(WriterCompatibility compatibility, boolean startTimestamps) {
    super(compatibility, startTimestamps);
  }

  @Override
  boolean previousWasStale() {
    return fields[SUM] == STALE_NAN;
  }

  @Override
  boolean decreasesFromPrevious(FloatHistogram h) {
    if (h.count() < value(COUNT) || h.zeroCount() < value(ZERO_COUNT)) {
      return true;
    }
    double[] p = h.positiveBuckets();
    for (int i = 0; i < p.length; i++) {
      if (p[i] < value(FIRST_BUCKET + i)) {
        return true;
      }
    }
    double[] n = h.negativeBuckets();
    for (int i = 0; i < n.length; i++) {
      if (n[i] < value(FIRST_BUCKET + p.length + i)) {
        return true;
      }
    }
    return false;
  }

  private double value(int field) {
    return Double.longBitsToDouble(fields[field]);
  }

  @Override
  void writeFirst(FloatHistogram h, boolean stale) {
    int n = FIRST_BUCKET + layout.positiveBuckets() + layout.negativeBuckets();
    if (fields.length < n) {
      fields = new long[n];
      windows = new int[2 * n];
    }
    for (int i = 0; i < n; i++) {
      windows[2 * i] = BitWriter.XOR_UNSET;
      windows[2 * i + 1] = 0;
    }
    fields[COUNT] = stale ? 0 : Double.doubleToRawLongBits(h.count());
    fields[ZERO_COUNT] = stale ? 0 : Double.doubleToRawLongBits(h.zeroCount());
    fields[SUM] = Double.doubleToRawLongBits(h.sum());
    if (!stale) {
      double[] p = h.positiveBuckets();
      double[] neg = h.negativeBuckets();
      for (int i = 0; i < p.length; i++) {
        fields[FIRST_BUCKET + i] = Double.doubleToRawLongBits(p[i]);
      }
      for (int i = 0; i < neg.length; i++) {
        fields[FIRST_BUCKET + p.length + i] = Double.doubleToRawLongBits(neg[i]);
      }
    }
    for (int i = 0; i < n; i++) {
      writer.writeBits(fields[i], 64);
    }
  }

  @Override
  void writeNext(FloatHistogram h, boolean stale) {
    BitWriter w = writer;
    writeField(w, COUNT, stale ? 0 : Double.doubleToRawLongBits(h.count()));
    writeField(w, ZERO_COUNT, stale ? 0 : Double.doubleToRawLongBits(h.zeroCount()));
    writeField(w, SUM, Double.doubleToRawLongBits(h.sum()));
    if (!stale) {
      double[] p = h.positiveBuckets();
      double[] neg = h.negativeBuckets();
      for (int i = 0; i < p.length; i++) {
        writeField(w, FIRST_BUCKET + i, Double.doubleToRawLongBits(p[i]));
      }
      for (int i = 0; i < neg.length; i++) {
        writeField(w, FIRST_BUCKET + p.length + i, Double.doubleToRawLongBits(neg[i]));
      }
    }
  }

  private void writeField(BitWriter w, int field, long bits) {
    w.writeXorValue(bits, fields[field], windows, 2 * field);
    fields[field] = bits;
  }

  @Override
  void resetFields() {
    Arrays.fill(fields, 0);
  }

  @Override
  Chunk chunkOf(ByteBuffer data, boolean startTimestamps) {
    return startTimestamps ? new FloatHistogramStChunk(data) : new FloatHistogramChunk(data);
  }
}
