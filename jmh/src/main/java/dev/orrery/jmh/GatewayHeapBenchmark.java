package dev.orrery.jmh;

import dev.orrery.objstore.filesystem.FilesystemBucket;
import dev.orrery.storeapi.gateway.BucketStore;
import dev.orrery.storeapi.gateway.IndexCache;
import dev.orrery.storeapi.proto.thanos.LabelMatcher;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 5, acceptance 4: a store gateway over 1,000 blocks in a filesystem bucket (200 series each). Setup measures
 * the heap (after full GCs) with no block loaded, and again after a Series call that loads every block's index-header;
 * the difference per block is printed next to the index-header size per block and the caches' configured and used
 * bytes. The benchmark itself times a Series call over all 1,000 blocks (in process, without gRPC).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class GatewayHeapBenchmark {
  static final int BLOCKS = 1000;
  static final int SERIES = 200;
  static final long CACHE_BYTES = 32L << 20;

  Path dir;
  FilesystemBucket bucket;
  BucketStore store;
  SeriesRequest request;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("orrery-jmh-heap");
    bucket = FilesystemBucket.open(Files.createDirectories(dir.resolve("bucket")));
    Path staging = Files.createDirectories(dir.resolve("staging"));
    StoreSeriesBenchmark.writeBlocks(bucket, staging, SERIES, BLOCKS, 120, Map.of("cluster", "eu"));
    store = BucketStore.builder(bucket, dir.resolve("data"))
        .indexCache(new IndexCache(CACHE_BYTES, CACHE_BYTES)).build();
    store.sync();
    store.unloadIdle();
    long empty = heapAfterGc();
    request = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(Long.MAX_VALUE)
        .addMatchers(LabelMatcher.newBuilder().setName("__name__").setValue("http_requests_total")).build();
    long samples = series();
    long loaded = heapAfterGc();
    System.out.printf("%n[gateway-heap] blocks=%d loaded=%d samples/call=%d%n", BLOCKS, store.loadedBlocks(),
        samples);
    System.out.printf("[gateway-heap] heap unloaded=%.1f MiB, all loaded=%.1f MiB, delta per block=%.1f KiB%n",
        empty / 1048576.0, loaded / 1048576.0, (loaded - empty) / 1024.0 / BLOCKS);
    System.out.printf("[gateway-heap] index-header bytes per block=%.1f KiB (memory-mapped, off heap); caches "
        + "configured=%d MiB, used=%.1f MiB%n", store.loadedIndexHeaderBytes() / 1024.0 / BLOCKS,
        2 * CACHE_BYTES >> 20, store.indexCache().weightedSize() / 1048576.0);
    System.out.printf("[gateway-heap] heap per block excluding caches=%.1f KiB%n",
        (loaded - empty - store.indexCache().weightedSize()) / 1024.0 / BLOCKS);
  }

  static long heapAfterGc() throws InterruptedException {
    MemoryMXBean m = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return m.getHeapMemoryUsage().getUsed();
  }

  long series() {
    LongAdder chunks = new LongAdder();
    store.series(request, r -> {
      if (r.hasSeries()) {
        chunks.add(r.getSeries().getChunksCount());
      }
    });
    return chunks.sum() * 120;
  }

  /** One Series call over every block. */
  @Benchmark
  public long seriesOver1000Blocks() {
    return series();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    store.close();
    bucket.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
