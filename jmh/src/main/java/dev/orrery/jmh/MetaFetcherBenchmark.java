package dev.orrery.jmh;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.objstore.block.MetaFetcher;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * A cold {@link MetaFetcher#fetch()} of a bucket holding 1,000 blocks (each a {@code meta.json} with a Thanos section
 * and an {@code index}): list the ULID directories, check and read every meta with 32 reads in flight on an 8-thread
 * pool. A new fetcher per operation, so nothing is cached.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class MetaFetcherBenchmark {
  @Param({"filesystem", "s3proxy"})
  public String backend;

  @Param({"1000"})
  public int blocks;

  private BucketBackend bucket;
  private ExecutorService pool;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    bucket = BucketBackend.open(backend);
    pool = Executors.newFixedThreadPool(8);
    Random random = new Random(3);
    long start = 1_700_000_000_000L;
    for (int i = 0; i < blocks; i++) {
      Ulid id = Ulid.generate(start + i * 1000L, random);
      BlockMeta meta = new BlockMeta(id, start + i * 7_200_000L, start + (i + 1) * 7_200_000L,
          BlockMeta.Stats.of(1_000_000, 10_000, 80_000), BlockMeta.Compaction.level1(id),
          BlockMeta.ThanosMeta.of(Map.of("cluster", "eu" + (i % 3), "environment", "prod", "replica", "a"), 0,
              "sidecar"));
      bucket.bucket.upload(id + "/index", new byte[] {1});
      bucket.bucket.upload(id + "/meta.json", meta.toJson().getBytes(StandardCharsets.UTF_8));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    pool.shutdownNow();
    bucket.close();
  }

  @Benchmark
  public int fetchAll() throws Exception {
    MetaFetcher fetcher = MetaFetcher.builder(bucket.bucket).executor(pool).concurrency(32).build();
    int found = fetcher.fetch().metas().size();
    if (found != blocks) {
      throw new IllegalStateException("fetched " + found + " of " + blocks + " blocks");
    }
    return found;
  }
}
