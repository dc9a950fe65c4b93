package dev.orrery.core.chunk;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;

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
