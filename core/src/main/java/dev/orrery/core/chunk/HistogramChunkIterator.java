package dev.orrery.core.chunk;

import dev.orrery.core.histogram.CounterResetHint;
import java.util.Locale;

/**
 * What the two native histogram decoders share (FORMATS.md 2.6 to 2.8): the counter-reset header, the bucket layout
 * read with sample 0, and the optional start timestamp after each sample. Subclasses decode the sample fields of their
 * encoding.
 *
 * <p>Confined to one thread.
 */
abstract sealed class HistogramChunkIterator extends StreamSampleIterator
    permits HistogramIterator, FloatHistogramIterator {
  private final StartTimestampDecoder startTimestamps = new StartTimestampDecoder();
  /** "histogram" or "float histogram", for errors. */
  private final String kind;
  private boolean hasStartTimestamps;
  CounterResetHint header;
  HistogramChunkLayout layout;

  HistogramChunkIterator(ValueType type) {
    super(type);
    this.kind = type.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  final void reset(StoredChunk chunk, int headerBytes, int numSamples, CounterResetHint header,
      boolean startTimestamps, int startTimestampHeader) {
    start(chunk, headerBytes, numSamples);
    this.header = header;
    this.hasStartTimestamps = startTimestamps;
    this.startTimestamps.reset(startTimestamps ? startTimestampHeader : 0);
    this.layout = HistogramChunkLayout.EMPTY;
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
  final void readSample() {
    long prevT = t;
    if (numRead == 0) {
      readFirst();
    } else {
      readNext();
    }
    if (hasStartTimestamps) {
      startTimestamps.read(reader, numRead, t, prevT);
    }
    sampleChanged();
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
