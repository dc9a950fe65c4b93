package dev.orrery.jmh;

import java.io.InputStream;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Range reads from one 64 MiB object (the shape of a store gateway reading chunk and series ranges): a random
 * offset, {@code rangeBytes} long, read fully. Throughput in bytes per second is ops/s times {@code rangeBytes}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class BucketRangeReadBenchmark {
  private static final long OBJECT_BYTES = 64L << 20;

  @Param({"filesystem", "s3proxy"})
  public String backend;

  @Param({"16384", "1048576"})
  public int rangeBytes;

  private BucketBackend bucket;
  private final SplittableRandom random = new SplittableRandom(1);
  private byte[] buffer;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    bucket = BucketBackend.open(backend);
    byte[] data = new byte[(int) OBJECT_BYTES];
    new SplittableRandom(7).nextBytes(data);
    bucket.bucket.upload("01JBENCHBLOCK0000000000000/chunks/000001", data);
    buffer = new byte[rangeBytes];
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    bucket.close();
  }

  @Benchmark
  public int readRange() throws Exception {
    long offset = random.nextLong(OBJECT_BYTES - rangeBytes);
    try (InputStream in = bucket.bucket.getRange("01JBENCHBLOCK0000000000000/chunks/000001", offset, rangeBytes)) {
      return in.readNBytes(buffer, 0, rangeBytes);
    }
  }
}
