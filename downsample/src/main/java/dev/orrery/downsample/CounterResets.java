package dev.orrery.downsample;

import dev.orrery.core.chunk.FloatSamples;

/**
 * The counter-reset rule Thanos applies to counter sub-chunks (FORMATS.md 7.4,
 * {@code ApplyCounterResetsSeriesIterator}): a monotonic running total from raw counter values, where a value below the
 * previous one is a reset and adds itself. A sample at the previous timestamp is the true last raw value of a chunk
 * (each counter sub-chunk ends with one) and only updates the value the next increase is measured from; a sample
 * earlier than that is skipped, as is NaN.
 */
final class CounterResets {
  private CounterResets() {}

  /** Appends the running total of {@code in} to {@code out}; returns the last raw value (NaN for no samples). */
  static double apply(FloatSamples in, FloatSamples out) {
    double lastRaw = Double.NaN;
    double total = 0;
    long lastT = 0;
    boolean started = false;
    for (int i = 0; i < in.count; i++) {
      long t = in.ts[i];
      double v = in.values[i];
      if (Double.isNaN(v)) {
        continue;
      }
      if (!started) {
        total = v;
        started = true;
      } else if (t > lastT) {
        total += v >= lastRaw ? v - lastRaw : v;
      } else {
        if (t == lastT) {
          lastRaw = v;
        }
        continue;
      }
      lastT = t;
      lastRaw = v;
      out.add(t, total);
    }
    return lastRaw;
  }
}
