package dev.orrery.core.chunk;

import dev.orrery.core.histogram.CounterResetHint;
import java.util.Locale;

/**
 * What the two native histogram decoders share (FORMATS.md 2.6 to 2.8): one sample decoded per {@link #next()} from
 * the bit stream after the chunk header, the optional start timestamp after each sample, detection of a truncated
 * stream, the bucket layout read with sample 0, and {@link #seek}. Subclasses decode the sample fields of their
 * encoding.
 *
 * <p>Confined to one thread.
 */
abstract sealed class HistogramChunkIterator implements SampleIterator
    permits HistogramIterator, FloatHistogramIterator {
  /** The stale marker's bits: a sample whose sum is this has no bucket fields. */
  static final long STALE_NAN = 0x7ff0000000000002L;

  final BitReader reader = new BitReader();
  private final StartTimestampDecoder startTimestamps = new StartTimestampDecoder();
  private final ValueType type;
  /** "histogram" or "float histogram", for errors. */
  private final String kind;
  private boolean hasStartTimestamps;
  private int numTotal;
  /** Samples decoded so far; the current one is {@code numRead - 1}. */
  int numRead;
  private boolean exhausted;
  CounterResetHint header;
  HistogramChunkLayout layout;
  long t;
  long tDelta;

  HistogramChunkIterator(ValueType type) {
    this.type = type;
    this.kind = type.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  final void reset(StoredChunk chunk, int headerBytes, int numSamples, CounterResetHint header,
      boolean startTimestamps, int startTimestampHeader) {
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
    resetFields();
  }

  /** Forgets the previous chunk's sample fields and the current sample. */
  abstract void resetFields();

  /** Reads the layout and sample 0 (timestamp included). */
  abstract void readFirst();

  /** Reads the next sample (timestamp included). */
  abstract void readNext();

  /** Called after each sample is read: a cached object of the previous one is stale. */
  abstract void sampleChanged();

  @Override
  public final ValueType next() {
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
        throw reader.truncated(numRead, numTotal);
      }
    } catch (CorruptChunkException e) {
      exhausted = true;
      throw e;
    }
    numRead++;
    sampleChanged();
    return type;
  }

  @Override
  public final ValueType seek(long target) {
    if (exhausted) {
      return ValueType.NONE;
    }
    if (numRead > 0 && t >= target) {
      return type;
    }
    while (next() != ValueType.NONE) {
      if (t >= target) {
        return type;
      }
    }
    return ValueType.NONE;
  }

  @Override
  public final long atT() {
    return t;
  }

  @Override
  public final long atST() {
    return startTimestamps.st();
  }

  @Override
  public final double atV() {
    throw new IllegalStateException("a " + kind + " chunk holds " + kind + " samples only");
  }

  /** The hint of the current sample: the chunk header's for sample 0, else none (FORMATS.md 2.6). */
  final CounterResetHint currentHint() {
    return CounterResetHeader.sampleHint(header, numRead - 1);
  }
}
