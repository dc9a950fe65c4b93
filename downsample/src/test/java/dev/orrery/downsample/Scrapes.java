package dev.orrery.downsample;

import java.util.SplittableRandom;

/** A test series of regular scrapes: {@code n} timestamps {@code interval} ms apart and their values. */
record Scrapes(long[] ts, double[] vs) {
  /** The value of scrape {@code i}, given the one before it (0 before the first). */
  interface Values {
    double next(int i, double previous);
  }

  /**
   * {@code n} scrapes from {@code start}, {@code interval} ms apart plus 0-{@code jitterMillis} ms drawn from
   * {@code random}, with values from {@code values}.
   */
  static Scrapes of(int n, long start, long interval, int jitterMillis, SplittableRandom random, Values values) {
    long[] ts = new long[n];
    double[] vs = new double[n];
    double v = 0;
    for (int i = 0; i < n; i++) {
      ts[i] = start + (long) i * interval + (jitterMillis > 0 ? random.nextInt(jitterMillis + 1) : 0);
      v = values.next(i, v);
      vs[i] = v;
    }
    return new Scrapes(ts, vs);
  }
}
