package dev.orrery.jmh;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.labels.Labels;
import dev.orrery.objstore.filesystem.FilesystemBucket;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.storeapi.StoreServices;
import dev.orrery.storeapi.gateway.BucketStore;
import dev.orrery.storeapi.gateway.IndexCache;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.LabelMatcher;
import dev.orrery.storeapi.proto.thanos.Series;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import dev.orrery.storeapi.proto.thanos.StoreGrpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 5, acceptance 4: the store gateway's {@code Series} timed at a gRPC client on loopback that receives and
 * parses every frame, over a filesystem bucket of real blocks (4 consecutive 2h blocks, 2,000 series, 15 s scrapes:
 * 3,840,000 samples in 32,000 XOR chunks). Each operation includes postings lookup, series reads, chunk range reads,
 * protobuf serialisation, HTTP/2 framing and client-side parsing. The score is ns per sample
 * ({@link OperationsPerInvocation} = samples per call). Run on one core with {@code taskset -c 0 java -jar
 * benchmarks.jar StoreSeries}; Thanos reports about 8.6 ns/sample for its own gateway benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 2)
public class StoreSeriesBenchmark {
  static final int SERIES = 2_000;
  static final int BLOCKS = 4;
  static final int SAMPLES_PER_BLOCK = 480;
  static final int SAMPLES = SERIES * BLOCKS * SAMPLES_PER_BLOCK;
  static final long T0 = 1704067200000L;
  static final long BLOCK_MS = 2 * 3_600_000L;

  /** Series per frame ({@code response_batch_size}); 1 sends one {@code series} frame per series. */
  @Param({"64", "1"})
  public int batchSize;

  Path dir;
  FilesystemBucket bucket;
  BucketStore store;
  Server server;
  ManagedChannel channel;
  ExecutorService exec;
  SeriesRequest request;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("orrery-jmh-store");
    Path bucketDir = Files.createDirectories(dir.resolve("bucket"));
    Path staging = Files.createDirectories(dir.resolve("staging"));
    bucket = FilesystemBucket.open(bucketDir);
    writeBlocks(bucket, staging, SERIES, BLOCKS, SAMPLES_PER_BLOCK, Map.of("cluster", "eu", "replica", "a"));
    exec = Executors.newVirtualThreadPerTaskExecutor();
    store = BucketStore.builder(bucket, dir.resolve("data")).executor(exec)
        .indexCache(new IndexCache(64L << 20, 64L << 20)).build();
    store.sync();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
        .executor(exec).addService(StoreServices.of(store, exec).get(0)).build().start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort(), InsecureChannelCredentials.create())
        .directExecutor().maxInboundMessageSize(64 << 20).build();
    // 64 series per frame, as Thanos' querier asks (--query.series-response-batch-size): fewer, larger frames.
    request = SeriesRequest.newBuilder().setMinTime(T0).setMaxTime(T0 + BLOCKS * BLOCK_MS)
        .addMatchers(LabelMatcher.newBuilder().setName("__name__").setValue("http_requests_total"))
        .setResponseBatchSize(batchSize).build();
    long got = series();
    if (got != SAMPLES) {
      throw new IllegalStateException("expected " + SAMPLES + " samples, got " + got);
    }
  }

  /** Writes {@code blocks} consecutive 2h blocks of {@code series} counters to the bucket. */
  static void writeBlocks(FilesystemBucket bucket, Path staging, int series, int blocks, int samplesPerBlock,
      Map<String, String> external) throws IOException {
    BlockBucket bb = new BlockBucket(bucket, Clock.systemUTC());
    SplittableRandom r = new SplittableRandom(7);
    double[] values = new double[series];
    long step = BLOCK_MS / samplesPerBlock;
    for (int b = 0; b < blocks; b++) {
      try (BlockWriter w = BlockWriter.builder(staging).externalLabels(external).build()) {
        for (int s = 0; s < series; s++) {
          Labels l = Labels.of("__name__", "http_requests_total", "job", "api", "instance", "host-" + (s / 10),
              "handler", "/h" + (s % 10));
          for (int i = 0; i < samplesPerBlock; i++) {
            values[s] += r.nextInt(40);
            w.append(l, T0 + b * BLOCK_MS + i * step + r.nextInt(20), values[s]);
          }
        }
        BlockMeta meta = w.commit();
        bb.upload(staging.resolve(meta.ulid().toString()));
      }
    }
  }

  long series() {
    Iterator<SeriesResponse> it = StoreGrpc.newBlockingStub(channel).series(request);
    long samples = 0;
    while (it.hasNext()) {
      SeriesResponse r = it.next();
      if (r.hasSeries()) {
        samples += samples(r.getSeries());
      } else if (r.hasBatch()) {
        for (Series s : r.getBatch().getSeriesList()) {
          samples += samples(s);
        }
      }
    }
    return samples;
  }

  private static long samples(Series s) {
    long n = 0;
    for (AggrChunk c : s.getChunksList()) {
      // The XOR chunk header holds the sample count (BE16).
      n += ((c.getRaw().getData().byteAt(0) & 0xFF) << 8) | (c.getRaw().getData().byteAt(1) & 0xFF);
    }
    return n;
  }

  /** One Series call over all 2,000 series and 4 blocks; the score is per sample. */
  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public long seriesAllSamples() {
    return series();
  }

  /**
   * The same request served in process, each frame serialised to bytes but not sent: the store's share of {@link
   * #seriesAllSamples}.
   */
  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public long seriesInProcess() {
    long[] bytes = new long[1];
    store.series(request, r -> bytes[0] += r.toByteArray().length);
    return bytes[0];
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    store.close();
    exec.close();
    bucket.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
