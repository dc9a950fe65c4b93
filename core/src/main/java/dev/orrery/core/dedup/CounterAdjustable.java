package dev.orrery.core.dedup;

import dev.orrery.core.chunk.SampleIterator;

/**
 * A sample iterator whose float values can be raised so that a counter does not appear to reset when the output
 * switches to it from another replica (FORMATS.md 9.3). Confined to one thread, like every sample iterator.
 */
interface CounterAdjustable extends SampleIterator {
  /**
   * Raises this iterator's values from now on so that its current float sample is not below {@code lastValue}.
   * Does nothing when the current sample is not a float or already at least {@code lastValue}.
   */
  void adjust(double lastValue);
}
