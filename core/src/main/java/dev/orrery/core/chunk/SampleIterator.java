package dev.orrery.core.chunk;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import java.util.Objects;

/**
 * A pull cursor over the samples of one series or chunk, in increasing time order (Prometheus'
 * {@code chunkenc.Iterator}). Values are primitives: a float sample never allocates. Histogram samples are returned as
 * objects that the iterator may reuse on the next call; copy to keep.
 *
 * <p>Confined to one thread. Accessors are valid only after {@link #next()} or {@link #seek(long)} returned something
 * other than {@link ValueType#NONE}. Corruption found while decoding throws
 * {@link dev.orrery.core.io.CorruptDataException}.
 */
public interface SampleIterator {
  /** Advances to the next sample; {@link ValueType#NONE} when exhausted. */
  ValueType next();

  /**
   * Advances to the first sample with timestamp {@code >= t}; stays put if the current sample already qualifies.
   * Returns {@link ValueType#NONE} when there is none.
   */
  ValueType seek(long t);

  /** Timestamp of the current sample, in milliseconds. */
  long atT();

  /** Value of the current float sample; raw bits preserved (stale NaN stays stale NaN). */
  double atV();

  /** The current integer histogram sample. Only for {@link ValueType#HISTOGRAM}. */
  Histogram atHistogram();

  /** The current histogram sample as a float histogram; for {@link ValueType#HISTOGRAM} it is converted. */
  FloatHistogram atFloatHistogram();

  /**
   * Advances over up to {@code max} float samples at once, storing the timestamp and value of the {@code i}-th in
   * {@code ts[offset + i]} and {@code vs[offset + i]}: the same as calling {@link #next()}, {@link #atT()} and
   * {@link #atV()} in a loop, which is what this default does; decoders that work in batches copy whole runs. After
   * {@code max} samples the last one stored is the current one.
   *
   * <p>Fewer than {@code max} are stored only when the iterator is exhausted or has reached a sample that is not a
   * float sample; that sample is then the current one and is not stored. {@code seek(Long.MIN_VALUE)} tells which: it
   * returns the current sample's type without moving, or {@link ValueType#NONE} when exhausted. Corruption throws as
   * {@link #next()} does, after the samples before it were stored.
   *
   * @return the number of samples stored, {@code 0..max}
   * @throws IndexOutOfBoundsException if {@code offset} and {@code max} do not fit either array
   */
  default int nextFloats(long[] ts, double[] vs, int offset, int max) {
    Objects.checkFromIndexSize(offset, max, ts.length);
    Objects.checkFromIndexSize(offset, max, vs.length);
    int n = 0;
    while (n < max && next() == ValueType.FLOAT) {
      ts[offset + n] = atT();
      vs[offset + n] = atV();
      n++;
    }
    return n;
  }

  /**
   * Start timestamp of the current sample in milliseconds (the time its counter started), as stored by the chunk
   * encodings that carry one (XOR2, and the ST histogram encodings); 0 when unknown or not stored.
   */
  default long atST() {
    return 0;
  }

  /**
   * Bulk form of {@link #next()} for float samples: advances as {@code next()} would, appending every
   * {@link ValueType#FLOAT} sample with timestamp {@code <= maxT} to {@code out}, and stops at the first sample that is
   * not one of those. Returns that sample's type ({@link ValueType#NONE} when exhausted); the iterator is positioned
   * on it, so a {@code FLOAT} result means a sample after {@code maxT} is current and was not appended. The current
   * sample before the call is not appended (it was already returned by {@code next()} or {@code seek()}).
   *
   * <p>Decoders override this to copy straight from their decoded arrays instead of one call per accessor per sample.
   */
  default ValueType appendFloats(FloatSamples out, long maxT) {
    while (true) {
      ValueType vt = next();
      if (vt != ValueType.FLOAT) {
        return vt;
      }
      long t = atT();
      if (t > maxT) {
        return vt;
      }
      out.add(t, atV());
    }
  }

  /** An iterator with no samples. */
  static SampleIterator empty() {
    return EmptySampleIterator.INSTANCE;
  }
}
