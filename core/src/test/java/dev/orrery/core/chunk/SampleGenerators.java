package dev.orrery.core.chunk;

import dev.orrery.core.chunk.ChunkTestSupport.FloatSample;
import dev.orrery.core.testing.Generators;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random sample sequences that reach every branch of the XOR and varbit codes. */
final class SampleGenerators {
  private SampleGenerators() {}

  /** Every dod bucket boundary of FORMATS.md 2.3, on both sides, plus the 64-bit extremes. */
  static final long[] DOD_BOUNDARIES = {
      0, 1, -1, -8191, 8192, -8192, 8193, -65535, 65536, -65536, 65537,
      -524287, 524288, -524288, 524289, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};

  /** A delta between consecutive timestamps' deltas. */
  static long dod(SplittableRandom random) {
    return switch (Generators.weighted(random, 6, 3, 1, 1)) {
      case 0 -> Generators.longBetween(random, -24, 24);
      case 1 -> Generators.oneOf(random, DOD_BOUNDARIES);
      case 2 -> Generators.longBetween(random, -600_000, 600_000);
      default -> Generators.anyLong(random);
    };
  }

  /** {@code minSize} to {@code maxSize} samples; values repeat often so that window reuse is exercised. */
  static List<FloatSample> floatSamples(SplittableRandom random, int minSize, int maxSize) {
    long t = switch (Generators.weighted(random, 3, 1, 1)) {
      case 0 -> Generators.longBetween(random, 1_500_000_000_000L, 1_800_000_000_000L);
      case 1 -> Generators.longBetween(random, -1_000_000L, 1_000_000L);
      default -> Generators.anyLong(random);
    };
    long delta = Generators.weighted(random, 4, 1) == 0 ? Generators.longBetween(random, 0, 60_000)
        : Generators.anyLong(random);
    int size = Generators.size(random, minSize, maxSize);
    List<FloatSample> out = new ArrayList<>(size);
    long bits = 0;
    for (int i = 0; i < size; i++) {
      long dod = dod(random);
      long valueBits = Generators.doubleBits(random);
      boolean newValue = random.nextBoolean();
      if (i == 1) {
        t += delta;
      } else if (i > 1) {
        delta += dod;
        t += delta;
      }
      if (i == 0 || newValue) {
        bits = valueBits;
      }
      out.add(new FloatSample(t, bits));
    }
    return out;
  }
}
