package dev.orrery.core.chunk;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import java.util.Arrays;

/**
 * Decodes integer histogram chunks: {@link HistogramChunk} (encoding 2) and {@link HistogramStChunk} (encoding 5),
 * FORMATS.md 2.6 and 2.8. Bucket values are kept in Prometheus' stored form (first bucket absolute, then deltas to the
 * previous bucket); each is double-delta coded against the previous sample. A sample whose sum is the stale NaN has no
 * bucket fields and is returned as a histogram with only that sum.
 *
 * <p>Confined to one thread. {@link #atHistogram()} returns a new immutable object per sample.
 */
final class HistogramIterator implements SampleIterator {
  private static final long STALE_NAN = 0x7ff0000000000002L;

  private final BitReader reader = new BitReader();
  private final int[] sumWindow = new int[2];
  private final StartTimestampDecoder startTimestamps = new StartTimestampDecoder();
  private boolean hasStartTimestamps;
  private int numTotal;
  private int numRead;
  private boolean exhausted;
  private CounterResetHint header;
  private HistogramChunkLayout layout;

  private long t;
  private long tDelta;
  private long count;
  private long countDelta;
  private long zeroCount;
  private long zeroCountDelta;
  private long sumBits;
  private long[] buckets = new long[0];
  private long[] bucketDeltas = new long[0];
  private Histogram current;

  void reset(StoredChunk chunk, int headerBytes, int numSamples, CounterResetHint header, boolean startTimestamps,
      int startTimestampHeader) {
    chunk.resetReader(reader, headerBytes);
    this.numTotal = numSamples;
    this.numRead = 0;
    this.exhausted = numSamples == 0;
    this.header = header;
    this.hasStartTimestamps = startTimestamps;
    this.startTimestamps.reset(startTimestamps ? startTimestampHeader : 0);
    this.layout = HistogramChunkLayout.EMPTY;
    t = 0;
    tDelta = 0;
    count = 0;
    countDelta = 0;
    zeroCount = 0;
    zeroCountDelta = 0;
    sumBits = 0;
    sumWindow[0] = 0;
    sumWindow[1] = 0;
    current = null;
  }

  @Override
  public ValueType next() {
    if (exhausted) {
      return ValueType.NONE;
    }
    if (numRead == numTotal) {
      exhausted = true;
      return ValueType.NONE;
    }
    try {
      long prevT = t;
      if (numRead == 0) {
        readFirst();
      } else {
        readNext();
      }
      if (hasStartTimestamps) {
        startTimestamps.read(reader, numRead, t, prevT);
      }
      if (reader.overrun()) {
        throw reader.corrupt(reader.limit(), "chunk bit stream truncated",
            "sample " + numRead + " of " + numTotal + " needs more than the " + (reader.limit() >>> 3)
                + " bytes of the stream");
      }
    } catch (CorruptChunkException e) {
      exhausted = true;
      throw e;
    }
    numRead++;
    current = null;
    return ValueType.HISTOGRAM;
  }

  private void readFirst() {
    BitReader r = reader;
    layout = HistogramChunkLayout.read(r);
    int n = layout.positiveBuckets() + layout.negativeBuckets();
    if (buckets.length < n) {
      buckets = new long[n];
      bucketDeltas = new long[n];
    } else {
      Arrays.fill(bucketDeltas, 0, n, 0);
    }
    t = r.readVarbitInt();
    count = r.readVarbitUint();
    zeroCount = r.readVarbitUint();
    sumBits = r.readBits(64);
    for (int i = 0; i < n; i++) {
      buckets[i] = r.readVarbitInt();
    }
  }

  private void readNext() {
    BitReader r = reader;
    tDelta += r.readVarbitInt();
    t += tDelta;
    countDelta += r.readVarbitInt();
    count += countDelta;
    zeroCountDelta += r.readVarbitInt();
    zeroCount += zeroCountDelta;
    sumBits = r.readXorValue(sumBits, sumWindow, 0);
    if (sumBits == STALE_NAN) {
      return;
    }
    int n = layout.positiveBuckets() + layout.negativeBuckets();
    long[] b = buckets;
    long[] d = bucketDeltas;
    for (int i = 0; i < n; i++) {
      d[i] += r.readVarbitInt();
      b[i] += d[i];
    }
  }

  @Override
  public ValueType seek(long target) {
    if (exhausted) {
      return ValueType.NONE;
    }
    if (numRead > 0 && t >= target) {
      return ValueType.HISTOGRAM;
    }
    while (next() != ValueType.NONE) {
      if (t >= target) {
        return ValueType.HISTOGRAM;
      }
    }
    return ValueType.NONE;
  }

  @Override
  public long atT() {
    return t;
  }

  @Override
  public long atST() {
    return startTimestamps.st();
  }

  @Override
  public double atV() {
    throw new IllegalStateException("a histogram chunk holds histogram samples only");
  }

  @Override
  public Histogram atHistogram() {
    Histogram h = current;
    if (h == null) {
      h = build();
      current = h;
    }
    return h;
  }

  private Histogram build() {
    double sum = Double.longBitsToDouble(sumBits);
    if (sumBits == STALE_NAN) {
      return new Histogram(CounterResetHint.UNKNOWN, 0, 0, 0, 0, sum, HistogramChunkLayout.NO_SPANS, new long[0],
          HistogramChunkLayout.NO_SPANS, new long[0], HistogramChunkLayout.NO_VALUES);
    }
    HistogramChunkLayout l = layout;
    int p = l.positiveBuckets();
    return new Histogram(CounterResetHeader.sampleHint(header, numRead - 1), l.schema(), l.zeroThreshold(), zeroCount,
        count, sum, l.positiveSpans(), Arrays.copyOfRange(buckets, 0, p), l.negativeSpans(),
        Arrays.copyOfRange(buckets, p, p + l.negativeBuckets()), l.customValues());
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    return atHistogram().toFloat();
  }
}
