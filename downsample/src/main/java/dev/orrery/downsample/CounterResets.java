package dev.orrery.downsample;

import dev.orrery.core.chunk.CounterResetIterator;
import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.ValueType;

/**
 * The counter-reset rule Thanos applies to counter sub-chunks (FORMATS.md 7.4, {@link CounterResetIterator}) over
 * samples in arrays, for the 1h downsampler.
 */
final class CounterResets {
  private CounterResets() {}

  /** Appends the running total of {@code in} to {@code out}; returns the last raw value (NaN for no samples). */
  static double apply(FloatSamples in, FloatSamples out) {
    CounterResetIterator it = new CounterResetIterator(in.iterator());
    while (it.next() == ValueType.FLOAT) {
      out.add(it.atT(), it.atV());
    }
    return it.lastRaw();
  }
}
