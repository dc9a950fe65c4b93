package dev.orrery.core.chunk;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;

/**
 * An iterator that reads a series' samples from one underlying iterator at a time, as it walks the series' chunks: the
 * sample accessors read the current one. Subclasses move {@link #current} in {@link #next()} and {@link #seek(long)}.
 */
public abstract class ChunkSequenceIterator implements SampleIterator {
  /** The iterator positioned at the current sample; only read while one is. */
  protected SampleIterator current;

  /** An iterator with no current chunk yet. */
  protected ChunkSequenceIterator() {}

  @Override
  public final long atT() {
    return current.atT();
  }

  @Override
  public final double atV() {
    return current.atV();
  }

  @Override
  public final Histogram atHistogram() {
    return current.atHistogram();
  }

  @Override
  public final FloatHistogram atFloatHistogram() {
    return current.atFloatHistogram();
  }

  @Override
  public final long atST() {
    return current.atST();
  }
}
