package dev.orrery.jmh;

import dev.orrery.downsample.RawDownsampler;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Raw to 5m downsampling of one counter series, ns per raw sample: two days of 15 s scrapes with 0-24 ms jitter
 * ({@value #SAMPLES} samples), aggregated into {@code AggrChunk}s as Thanos' compactor does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DownsampleBenchmark {
  static final int SAMPLES = 11_520;

  private final long[] ts = new long[SAMPLES];
  private final double[] vs = new double[SAMPLES];

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    long t = 1_700_000_000_000L;
    double counter = 0;
    for (int i = 0; i < SAMPLES; i++) {
      ts[i] = t + random.nextInt(25);
      t += 15_000;
      counter += random.nextInt(4) == 0 ? 0 : random.nextInt(1, 40) * 0.5;
      vs[i] = counter;
    }
  }

  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public Object rawTo5m() {
    return RawDownsampler.downsample(ts, vs, SAMPLES);
  }
}
