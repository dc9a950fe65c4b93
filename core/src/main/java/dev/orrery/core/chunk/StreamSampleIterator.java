package dev.orrery.core.chunk;

/**
 * The skeleton of a decoder that reads one sample per {@link #next()} from a chunk's bit stream (XOR2 and the native
 * histogram encodings): the sample count, detection of a truncated stream, an iterator that stays exhausted after a
 * corruption error, and {@link #seek}.
 *
 * <p>Confined to one thread.
 */
abstract sealed class StreamSampleIterator implements SampleIterator permits Xor2Iterator, HistogramChunkIterator {
  /** The stale marker's bits. */
  static final long STALE_NAN = StaleNaN.BITS;

  final BitReader reader = new BitReader();
  private final ValueType type;
  private int numTotal;
  /** Samples decoded so far; the current one is {@code numRead - 1}. */
  int numRead;
  private boolean exhausted;
  /** Timestamp of the current sample. */
  long t;
  long tDelta;

  StreamSampleIterator(ValueType type) {
    this.type = type;
  }

  /** Positions the reader after the chunk's {@code headerBytes} and forgets the previous chunk's samples. */
  final void start(StoredChunk chunk, int headerBytes, int numSamples) {
    chunk.resetReader(reader, headerBytes);
    numTotal = numSamples;
    numRead = 0;
    exhausted = numSamples == 0;
    t = 0;
    tDelta = 0;
  }

  /** Reads sample {@link #numRead} (its timestamp included); corruption throws {@link CorruptChunkException}. */
  abstract void readSample();

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
      readSample();
      if (reader.overrun()) {
        throw reader.truncated(numRead, numTotal);
      }
    } catch (CorruptChunkException e) {
      exhausted = true;
      throw e;
    }
    numRead++;
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
}
