package dev.orrery.jmh;

import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.XorAppender;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * XOR chunk encode and decode cost per sample, on realistic scrape data: 15 s intervals with 0-24 ms jitter, 120
 * samples per chunk (Prometheus' default), counters and gauges with short decimals. Each invocation handles
 * {@value #CHUNKS} chunks of {@value #SAMPLES} samples, so the score is ns per sample.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class XorChunkBenchmark {
  static final int SAMPLES = 120;
  static final int CHUNKS = 64;

  /**
   * {@code counter}: monotonic with short decimal increments (a quarter of the scrapes unchanged); {@code gauge}:
   * 2-decimal values that wander; {@code constant}: the same value every scrape (many real series, e.g. {@code up}).
   */
  @Param({"counter", "gauge", "constant"})
  public String kind;

  private long[][] times;
  private double[][] values;
  private Chunk[] chunks;
  private XorAppender appender;
  private SampleIterator iterator;
  private final FloatSamples bulk = new FloatSamples();

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    times = new long[CHUNKS][SAMPLES];
    values = new double[CHUNKS][SAMPLES];
    chunks = new Chunk[CHUNKS];
    appender = new XorAppender();
    long t = 1_700_000_000_000L;
    double counter = 0;
    double gauge = 50;
    for (int c = 0; c < CHUNKS; c++) {
      for (int i = 0; i < SAMPLES; i++) {
        long scrape = t + random.nextInt(25);
        t += 15_000;
        times[c][i] = scrape;
        if (kind.equals("counter")) {
          counter += random.nextInt(4) == 0 ? 0 : random.nextInt(1, 40) * 0.5;
          values[c][i] = counter;
        } else if (kind.equals("constant")) {
          values[c][i] = 1;
        } else {
          gauge = Math.round((gauge + random.nextInt(-300, 301) / 100.0) * 100) / 100.0;
          values[c][i] = gauge;
        }
      }
      XorAppender a = new XorAppender();
      for (int i = 0; i < SAMPLES; i++) {
        a.append(times[c][i], values[c][i]);
      }
      chunks[c] = a.toChunk();
    }
  }

  @Benchmark
  @OperationsPerInvocation(CHUNKS * SAMPLES)
  public void encode(Blackhole bh) {
    XorAppender a = appender;
    for (int c = 0; c < CHUNKS; c++) {
      long[] ts = times[c];
      double[] vs = values[c];
      a.reset();
      for (int i = 0; i < SAMPLES; i++) {
        a.append(ts[i], vs[i]);
      }
      bh.consume(a.byteLength());
    }
  }

  /** {@link #encode} through {@link XorAppender#appendAll}: the same samples and bytes, one call per chunk. */
  @Benchmark
  @OperationsPerInvocation(CHUNKS * SAMPLES)
  public void encodeBulk(Blackhole bh) {
    XorAppender a = appender;
    for (int c = 0; c < CHUNKS; c++) {
      a.reset();
      a.appendAll(times[c], values[c], 0, SAMPLES);
      bh.consume(a.byteLength());
    }
  }

  @Benchmark
  @OperationsPerInvocation(CHUNKS * SAMPLES)
  public void decode(Blackhole bh) {
    long tSum = 0;
    double vSum = 0;
    for (int c = 0; c < CHUNKS; c++) {
      SampleIterator it = chunks[c].iterator(iterator);
      iterator = it;
      while (it.next() != ValueType.NONE) {
        tSum += it.atT();
        vSum += it.atV();
      }
    }
    bh.consume(tSum);
    bh.consume(vSum);
  }

  /** {@link #decode} through {@link SampleIterator#appendFloats}: the same samples and sums, copied per chunk. */
  @Benchmark
  @OperationsPerInvocation(CHUNKS * SAMPLES)
  public void decodeBulk(Blackhole bh) {
    FloatSamples out = bulk;
    long tSum = 0;
    double vSum = 0;
    for (int c = 0; c < CHUNKS; c++) {
      SampleIterator it = chunks[c].iterator(iterator);
      iterator = it;
      out.count = 0;
      it.appendFloats(out, Long.MAX_VALUE);
      long[] ts = out.ts;
      double[] vs = out.values;
      for (int i = 0; i < out.count; i++) {
        tSum += ts[i];
        vSum += vs[i];
      }
    }
    bh.consume(tSum);
    bh.consume(vSum);
  }
}
