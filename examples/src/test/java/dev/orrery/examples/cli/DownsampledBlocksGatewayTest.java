package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.downsample.BlockDownsampler;
import dev.orrery.downsample.DownsampledChunk;
import dev.orrery.downsample.RawDownsampler;
import dev.orrery.objstore.InMemoryBucket;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.storeapi.StoreServices;
import dev.orrery.storeapi.gateway.BucketStore;
import dev.orrery.storeapi.proto.thanos.Aggr;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.LabelMatcher;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import dev.orrery.storeapi.proxy.EndpointSet;
import dev.orrery.storeapi.proxy.ProxyQueryable;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw block and its 5m copy from {@link BlockDownsampler} in one bucket, served by the store gateway: a request that
 * allows 5m resolution gets the aggregate chunks of the 5m block, with the sub-chunks it asks for; one that does not
 * gets the raw chunks. Through the fan-out querier, each function reads the aggregate it needs (FORMATS.md 7.5).
 */
class DownsampledBlocksGatewayTest {
  private static final Labels SERIES = Labels.of("__name__", "requests_total", "job", "api");

  private static final Labels GAUGE = Labels.of("__name__", "temperature", "job", "api");
  private static final int N = 2_880;

  @TempDir
  Path tmp;
  private final long[] ts = new long[N];
  private final double[] counter = new double[N];
  private final double[] temperature = new double[N];
  private BucketStore store;

  /** A counter and a gauge over two days at 60 s: a raw block and its 5m copy in one bucket behind one gateway. */
  @BeforeEach
  void setUp() throws Exception {
    long start = 1_700_000_000_000L;
    BlockWriter writer = BlockWriter.builder(tmp).externalLabels(Map.of("cluster", "eu")).build();
    for (int i = 0; i < N; i++) {
      ts[i] = start + i * 60_000L;
      counter[i] = i * 2.0;
      temperature[i] = (i * 7) % 23;
      writer.append(SERIES, ts[i], counter[i]);
      writer.append(GAUGE, ts[i], temperature[i]);
    }
    BlockMeta raw = writer.commit();
    BlockMeta fiveMinute = BlockDownsampler.downsample(tmp.resolve(raw.ulid().toString()), tmp);
    InMemoryBucket bucket = new InMemoryBucket();
    BlockBucket blocks = new BlockBucket(bucket, Clock.systemUTC());
    blocks.upload(tmp.resolve(raw.ulid().toString()));
    blocks.upload(tmp.resolve(fiveMinute.ulid().toString()));
    store = BucketStore.builder(bucket, tmp.resolve("data")).build();
    assertThat(store.sync().added()).hasSize(2);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  @Test
  void gatewayServesAggregatesOfDownsampledBlocks() {
    List<DownsampledChunk> expected = RawDownsampler.downsample(ts, counter, N);

    List<AggrChunk> aggregated = chunks(store, RawDownsampler.RESOLUTION_5M, Aggr.COUNT, Aggr.SUM);
    assertThat(aggregated).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      AggrChunk got = aggregated.get(i);
      assertThat(got.hasRaw()).isFalse();
      assertThat(got.getMinTime()).isEqualTo(expected.get(i).minTime());
      assertThat(got.getMaxTime()).isEqualTo(expected.get(i).maxTime());
      assertThat(samples(wire(got.getCount()))).isEqualTo(samples(slot(expected.get(i), AggrChunkSlots.COUNT)));
      assertThat(samples(wire(got.getSum()))).isEqualTo(samples(slot(expected.get(i), AggrChunkSlots.SUM)));
    }

    List<AggrChunk> rawChunks = chunks(store, 0, Aggr.RAW);
    assertThat(rawChunks).isNotEmpty().allSatisfy(c -> assertThat(c.hasRaw()).isTrue());
    assertThat(rawChunks.stream().mapToInt(c -> wire(c.getRaw()).numSamples()).sum()).isEqualTo(N);
  }

  @Test
  void querierReadsTheAggregateEachFunctionNeeds() throws Exception {
    ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).executor(exec)
        .addServices(StoreServices.of(store, exec).stream().map(BindableService::bindService).toList()).build()
        .start();
    try (EndpointSet endpoints = new EndpointSet(List.of(name), null,
        target -> InProcessChannelBuilder.forName(target).executor(exec).build(), Duration.ofSeconds(5))) {
      endpoints.refresh();
      ProxyQueryable querier = new ProxyQueryable(endpoints, Duration.ofSeconds(10), List.of());
      long end = ts[N - 1] + 1;

      // rate and the like read the counter sub-chunks: with no reset, the running total is the raw value.
      List<double[]> rate = select(querier, ts[0], end, "rate", RawDownsampler.RESOLUTION_5M, SERIES);
      assertThat(rate).hasSizeLessThan(N / 4).isNotEmpty();
      for (double[] s : rate) {
        assertThat(s[1]).as("counter at %d", (long) s[0]).isEqualTo(rawAtOrBefore(ts, counter, (long) s[0]));
      }
      // max_over_time reads max, anything else the average of a window (sum / count).
      List<double[]> max = select(querier, ts[0], end, "max_over_time", RawDownsampler.RESOLUTION_5M, GAUGE);
      assertThat(max).isNotEmpty();
      for (double[] s : max) {
        assertThat(s[1]).isEqualTo(window(ts, temperature, (long) s[0]).max().orElseThrow());
      }
      List<double[]> avg = select(querier, ts[0], end, "", RawDownsampler.RESOLUTION_5M, GAUGE);
      assertThat(avg).hasSizeLessThan(N / 4).isNotEmpty();
      for (double[] s : avg) {
        assertThat(s[1]).isCloseTo(window(ts, temperature, (long) s[0]).average().orElseThrow(),
            Offset.offset(1e-9));
      }
      // Raw resolution only: every raw sample.
      assertThat(select(querier, ts[0], end, "rate", 0, SERIES)).hasSize(N);
    } finally {
      server.shutdownNow();
      exec.close();
    }
  }

  /** Samples of one series selected through the querier, as (t, v) pairs. */
  private static List<double[]> select(ProxyQueryable queryable, long start, long end, String function,
      long maxResolution, Labels series) throws Exception {
    List<double[]> out = new ArrayList<>();
    SelectHints hints = new SelectHints(start, end, 0, function, 0, List.of(), false, false, List.of(), false,
        maxResolution);
    try (Querier q = queryable.querier(start, end)) {
      SeriesSet set = q.select(true, hints, Matcher.equal("__name__", series.get("__name__")));
      assertThat(set.next()).isTrue();
      SampleIterator it = set.at().iterator(null);
      while (it.next() == ValueType.FLOAT) {
        out.add(new double[] {it.atT(), it.atV()});
      }
      assertThat(set.next()).isFalse();
    }
    return out;
  }

  /** The raw value of the latest sample at or before {@code t}. */
  private static double rawAtOrBefore(long[] ts, double[] vs, long t) {
    int i = 0;
    while (i + 1 < ts.length && ts[i + 1] <= t) {
      i++;
    }
    return vs[i];
  }

  /** The raw values of the 5m window that the stamp {@code t} closes. */
  private static DoubleStream window(long[] ts, double[] vs, long t) {
    long windowStart = t - Math.floorMod(t, RawDownsampler.RESOLUTION_5M);
    return IntStream.range(0, ts.length).filter(i -> ts[i] >= windowStart && ts[i] <= t).mapToDouble(i -> vs[i]);
  }

  private static List<AggrChunk> chunks(BucketStore store, long maxResolution, Aggr... aggregates) {
    SeriesRequest request = SeriesRequest.newBuilder().setMinTime(Long.MIN_VALUE).setMaxTime(Long.MAX_VALUE)
        .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.EQ).setName("__name__")
            .setValue("requests_total"))
        .setMaxResolutionWindow(maxResolution).addAllAggregates(List.of(aggregates)).build();
    List<AggrChunk> out = new ArrayList<>();
    store.series(request, (SeriesResponse r) -> {
      if (r.hasSeries()) {
        out.addAll(r.getSeries().getChunksList());
      }
      for (var s : r.getBatch().getSeriesList()) {
        out.addAll(s.getChunksList());
      }
    });
    return out;
  }

  private static Chunk slot(DownsampledChunk chunk, int k) {
    return AggrChunkSlots.chunks(ByteBuffer.wrap(chunk.data()), "expected", -1)[k];
  }

  private static Chunk wire(dev.orrery.storeapi.proto.thanos.Chunk chunk) {
    return Chunk.of(ChunkEncoding.XOR, chunk.getData().asReadOnlyByteBuffer());
  }

  private static String samples(Chunk chunk) {
    FloatSamples out = new FloatSamples();
    chunk.iterator(null).appendFloats(out, Long.MAX_VALUE);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < out.count; i++) {
      b.append(out.ts[i]).append('=').append(out.values[i]).append(' ');
    }
    return b.toString();
  }
}
