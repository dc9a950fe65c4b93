package dev.orrery.core.chunk;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import java.util.Arrays;

/**
 * Decodes float histogram chunks: {@link FloatHistogramChunk} (encoding 3) and {@link FloatHistogramStChunk} (encoding
 * 6), FORMATS.md 2.7 and 2.8. Sample 0 stores count, zero count, sum and every (absolute) bucket as 64 raw bits; later
 * samples XOR-code each of these fields against the same field of the previous sample, each with its own window. A
 * sample whose sum is the stale NaN has no bucket fields and is returned as a histogram with only that sum.
 *
 * <p>Confined to one thread. {@link #atFloatHistogram()} returns a new immutable object per sample.
 */
final class FloatHistogramIterator extends HistogramChunkIterator {
  /** Field order in {@link #fields}: count, zero count, sum, then the buckets. */
  private static final int COUNT = 0;
  private static final int ZERO_COUNT = 1;
  private static final int SUM = 2;
  private static final int FIRST_BUCKET = 3;

  /** Raw bits of every field, and two window ints (leading, trailing) per field. */
  private long[] fields = new long[FIRST_BUCKET];
  private int[] windows = new int[2 * FIRST_BUCKET];
  private FloatHistogram current;

  FloatHistogramIterator() {
    super(ValueType.FLOAT_HISTOGRAM);
  }

  @Override
  void resetFields() {
    current = null;
  }

  @Override
  void sampleChanged() {
    current = null;
  }

  @Override
  void readFirst() {
    BitReader r = reader;
    layout = HistogramChunkLayout.read(r);
    int n = FIRST_BUCKET + layout.positiveBuckets() + layout.negativeBuckets();
    // Buckets of sample 0 take 64 bits each.
    if ((long) (n - FIRST_BUCKET) * 64 > Math.max(0, r.remaining())) {
      throw r.corrupt(r.position(), "corrupt histogram chunk layout",
          (n - FIRST_BUCKET) + " float buckets exceed the " + r.remaining() + " remaining bits");
    }
    if (fields.length < n) {
      fields = new long[n];
      windows = new int[2 * n];
    } else {
      Arrays.fill(windows, 0, 2 * n, 0);
    }
    t = r.readVarbitInt();
    for (int i = 0; i < n; i++) {
      fields[i] = r.readBits(64);
    }
  }

  @Override
  void readNext() {
    BitReader r = reader;
    tDelta += r.readVarbitInt();
    t += tDelta;
    long[] f = fields;
    int[] w = windows;
    f[COUNT] = r.readXorValue(f[COUNT], w, 2 * COUNT);
    f[ZERO_COUNT] = r.readXorValue(f[ZERO_COUNT], w, 2 * ZERO_COUNT);
    f[SUM] = r.readXorValue(f[SUM], w, 2 * SUM);
    if (f[SUM] == STALE_NAN) {
      return;
    }
    int n = FIRST_BUCKET + layout.positiveBuckets() + layout.negativeBuckets();
    for (int i = FIRST_BUCKET; i < n; i++) {
      f[i] = r.readXorValue(f[i], w, 2 * i);
    }
  }

  @Override
  public Histogram atHistogram() {
    throw new IllegalStateException("a float histogram chunk holds float histogram samples only");
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    FloatHistogram h = current;
    if (h == null) {
      h = build();
      current = h;
    }
    return h;
  }

  private FloatHistogram build() {
    long[] f = fields;
    double sum = Double.longBitsToDouble(f[SUM]);
    if (f[SUM] == STALE_NAN) {
      return new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0, 0, 0, sum, HistogramChunkLayout.NO_SPANS,
          new double[0], HistogramChunkLayout.NO_SPANS, new double[0], HistogramChunkLayout.NO_VALUES);
    }
    HistogramChunkLayout l = layout;
    double[] positive = new double[l.positiveBuckets()];
    double[] negative = new double[l.negativeBuckets()];
    for (int i = 0; i < positive.length; i++) {
      positive[i] = Double.longBitsToDouble(f[FIRST_BUCKET + i]);
    }
    for (int i = 0; i < negative.length; i++) {
      negative[i] = Double.longBitsToDouble(f[FIRST_BUCKET + positive.length + i]);
    }
    return new FloatHistogram(currentHint(), l.schema(), l.zeroThreshold(),
        Double.longBitsToDouble(f[ZERO_COUNT]), Double.longBitsToDouble(f[COUNT]), sum, l.positiveSpans(), positive,
        l.negativeSpans(), negative, l.customValues());
  }
}
