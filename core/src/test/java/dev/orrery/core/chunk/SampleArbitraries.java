package dev.orrery.core.chunk;

import dev.orrery.core.chunk.ChunkTestSupport.FloatSample;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** jqwik generators for sample sequences that reach every branch of the XOR and varbit codes. */
final class SampleArbitraries {
  private SampleArbitraries() {}

  /** Every dod bucket boundary of FORMATS.md 2.3, on both sides, plus the 64-bit extremes. */
  static final long[] DOD_BOUNDARIES = {
      0, 1, -1, -8191, 8192, -8192, 8193, -65535, 65536, -65536, 65537,
      -524287, 524288, -524288, 524289, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};

  static final long[] SPECIAL_BITS = {
      ChunkTestSupport.STALE_NAN, ChunkTestSupport.NORMAL_NAN, 0x7ff8000000000000L, 0xfff8000000000000L,
      0x7ff0000000000001L, Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
      Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY), Double.doubleToRawLongBits(-0.0), 0L, 1L,
      0x000fffffffffffffL, 0x7fefffffffffffffL, 0x8000000000000001L, -1L, Double.doubleToRawLongBits(1.0),
      Double.doubleToRawLongBits(1.0) + 1};

  /** Deltas between consecutive timestamps' deltas. */
  static Arbitrary<Long> dods() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.longs().between(-24, 24)),
        Tuple.of(3, Arbitraries.of(boxed(DOD_BOUNDARIES))),
        Tuple.of(1, Arbitraries.longs().between(-600_000, 600_000)),
        Tuple.of(1, Arbitraries.longs()));
  }

  static Arbitrary<Long> valueBits() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(boxed(SPECIAL_BITS))),
        Tuple.of(4, Arbitraries.integers().between(-100_000, 100_000)
            .map(i -> Double.doubleToRawLongBits(i / 100.0))),
        Tuple.of(2, Arbitraries.longs()),
        Tuple.of(1, Arbitraries.doubles().map(Double::doubleToRawLongBits)));
  }

  /** Sample sequences of 0 to {@code maxSize} samples; values repeat often so that window reuse is exercised. */
  static Arbitrary<List<FloatSample>> floatSamples(int maxSize) {
    Arbitrary<Long> start = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(1_500_000_000_000L, 1_800_000_000_000L)),
        Tuple.of(1, Arbitraries.longs().between(-1_000_000L, 1_000_000L)),
        Tuple.of(1, Arbitraries.longs()));
    Arbitrary<Long> firstDelta = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.longs().between(0, 60_000)),
        Tuple.of(1, Arbitraries.longs()));
    Arbitrary<List<Tuple.Tuple3<Long, Long, Boolean>>> steps =
        Combinators.combine(dods(), valueBits(), Arbitraries.of(true, false)).as(Tuple::of)
            .list().ofMaxSize(maxSize);
    return Combinators.combine(start, firstDelta, steps).as((t0, d0, list) -> {
      List<FloatSample> out = new ArrayList<>(list.size());
      long t = t0;
      long delta = d0;
      long bits = 0;
      for (int i = 0; i < list.size(); i++) {
        var step = list.get(i);
        if (i == 1) {
          t += delta;
        } else if (i > 1) {
          delta += step.get1();
          t += delta;
        }
        if (i == 0 || step.get3()) {
          bits = step.get2();
        }
        out.add(new FloatSample(t, bits));
      }
      return out;
    });
  }

  private static Long[] boxed(long[] values) {
    Long[] out = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
