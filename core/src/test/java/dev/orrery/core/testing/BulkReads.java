package dev.orrery.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/** Checks that {@link SampleIterator#appendFloats} yields exactly what stepping with {@code next()} does. */
public final class BulkReads {
  private BulkReads() {}

  /**
   * Drains one fresh iterator with {@code next()} only and another with a random mix of {@code next()} and
   * {@code appendFloats} up to random limits; both must see the same float samples (raw bits), and every bulk call must
   * stop exactly after its limit.
   */
  public static void assertBulkAgreesWithNext(Supplier<SampleIterator> fresh, SplittableRandom r) {
    List<String> want = new ArrayList<>();
    SampleIterator plain = fresh.get();
    while (plain.next() == ValueType.FLOAT) {
      want.add(sample(plain.atT(), plain.atV()));
    }
    List<String> got = new ArrayList<>();
    SampleIterator mixed = fresh.get();
    FloatSamples out = new FloatSamples();
    long last = want.isEmpty() ? 0 : Long.parseLong(want.get(0).split("=")[0]);
    while (true) {
      if (r.nextInt(3) == 0) {
        if (mixed.next() != ValueType.FLOAT) {
          break;
        }
        last = mixed.atT();
        got.add(sample(last, mixed.atV()));
        continue;
      }
      long maxT = last + r.nextInt(0, 60_000);
      out.count = 0;
      ValueType stopped = mixed.appendFloats(out, maxT);
      for (int i = 0; i < out.count; i++) {
        assertThat(out.ts[i]).as("bulk sample within its limit").isLessThanOrEqualTo(maxT);
        got.add(sample(out.ts[i], out.values[i]));
        last = out.ts[i];
      }
      if (stopped != ValueType.FLOAT) {
        break;
      }
      assertThat(mixed.atT()).as("bulk read stops on the first sample after its limit").isGreaterThan(maxT);
      last = mixed.atT();
      got.add(sample(last, mixed.atV()));
    }
    assertThat(got).isEqualTo(want);
  }

  private static String sample(long t, double v) {
    return t + "=" + Long.toHexString(Double.doubleToRawLongBits(v));
  }
}
