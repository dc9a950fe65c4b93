package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.Buckets;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.downsample.BlockDownsampler;
import dev.orrery.downsample.DownsampledChunk;
import dev.orrery.downsample.RawDownsampler;
import dev.orrery.objstore.InMemoryBucket;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.engine.Query;
import dev.orrery.promql.engine.QueryResult;
import dev.orrery.promql.engine.TimeSeries;
import dev.orrery.storeapi.StoreServices;
import dev.orrery.storeapi.WireChunks;
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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * A raw block and its 5m copy from {@link BlockDownsampler} in one in-memory bucket behind a store gateway, and on
 * first use of {@link #querier()} the fan-out querier over the gateway's StoreAPI served in-process. Shared by the
 * {@code Downsampled*Test} classes, with their static helpers.
 */
final class DownsampledGateway implements AutoCloseable {
  private final BucketStore store;
  private ExecutorService exec;
  private Server server;
  private EndpointSet endpoints;
  private ProxyQueryable querier;

  private DownsampledGateway(BucketStore store) {
    this.store = store;
  }

  /** Downsamples the raw block in {@code rawBlock} to 5m (into {@code tmp}), uploads both and syncs a gateway. */
  static DownsampledGateway of(Path tmp, Path rawBlock) throws IOException {
    BlockMeta fiveMinute = BlockDownsampler.downsample(rawBlock, tmp);
    assertThat(fiveMinute.thanos().downsampleResolutionMillis()).isEqualTo(RawDownsampler.RESOLUTION_5M);
    InMemoryBucket bucket = new InMemoryBucket();
    BlockBucket blocks = new BlockBucket(bucket, Clock.systemUTC());
    blocks.upload(rawBlock);
    blocks.upload(tmp.resolve(fiveMinute.ulid().toString()));
    BucketStore store = BucketStore.builder(bucket, tmp.resolve("data")).build();
    try {
      assertThat(store.sync().added()).hasSize(2);
    } catch (Throwable e) {
      store.close();
      throw e;
    }
    return new DownsampledGateway(store);
  }

  /** The same over a raw block in {@code tmp} that holds the float {@code series}, sampled at {@code ts}. */
  static DownsampledGateway of(Path tmp, long[] ts, Map<Labels, double[]> series) throws IOException {
    try (BlockWriter writer = BlockWriter.builder(tmp).externalLabels(Map.of("cluster", "eu")).build()) {
      for (Map.Entry<Labels, double[]> e : series.entrySet()) {
        for (int i = 0; i < ts.length; i++) {
          writer.append(e.getKey(), ts[i], e.getValue()[i]);
        }
      }
      return of(tmp, tmp.resolve(writer.commit().ulid().toString()));
    }
  }

  BucketStore store() {
    return store;
  }

  /** The fan-out querier over the gateway, through an in-process gRPC server; started on the first call. */
  ProxyQueryable querier() throws IOException {
    if (querier == null) {
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      exec = executor;
      String name = InProcessServerBuilder.generateName();
      server = InProcessServerBuilder.forName(name).executor(executor)
          .addServices(StoreServices.of(store, executor).stream().map(BindableService::bindService).toList())
          .build().start();
      endpoints = new EndpointSet(List.of(name), null,
          target -> InProcessChannelBuilder.forName(target).executor(executor).build(), Duration.ofSeconds(5));
      endpoints.refresh();
      querier = new ProxyQueryable(endpoints, Duration.ofSeconds(10), List.of());
    }
    return querier;
  }

  /** The chunks the gateway sends for the series named {@code metricName}, from series and batch frames. */
  List<AggrChunk> chunks(String metricName, long maxResolution, Aggr... aggregates) {
    SeriesRequest request = SeriesRequest.newBuilder().setMinTime(Long.MIN_VALUE).setMaxTime(Long.MAX_VALUE)
        .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.EQ).setName("__name__").setValue(metricName))
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

  /**
   * Selects through the querier, with hints for {@code function} at {@code maxResolution}, the one series named
   * {@code metricName}, and returns what {@code read} makes of it.
   */
  <T> List<T> select(String metricName, long start, long end, String function, long maxResolution,
      Function<Series, List<T>> read) throws IOException {
    SelectHints hints = new SelectHints(start, end, 0, function, 0, List.of(), false, false, List.of(), false,
        maxResolution);
    try (Querier q = querier().querier(start, end)) {
      SeriesSet set = q.select(true, hints, Matcher.equal("__name__", metricName));
      assertThat(set.next()).isTrue();
      List<T> out = read.apply(set.at());
      assertThat(set.next()).isFalse();
      return out;
    }
  }

  /** The float samples of the one series named {@code metricName} (up to the first non-float), as (t, v) pairs. */
  List<double[]> floats(String metricName, long start, long end, String function, long maxResolution)
      throws IOException {
    return select(metricName, start, end, function, maxResolution, series -> {
      List<double[]> out = new ArrayList<>();
      SampleIterator it = series.iterator(null);
      while (it.next() == ValueType.FLOAT) {
        out.add(new double[] {it.atT(), it.atV()});
      }
      return out;
    });
  }

  /** The one series of a range query through the querier at the given max source resolution. */
  TimeSeries rangeQuery(String expr, long from, long to, long step, long maxResolution) throws IOException {
    List<TimeSeries> series = rangeQuerySeries(expr, from, to, step, maxResolution);
    assertThat(series).hasSize(1);
    return series.get(0);
  }

  /** Every series of a range query through the querier at the given max source resolution. */
  List<TimeSeries> rangeQuerySeries(String expr, long from, long to, long step, long maxResolution)
      throws IOException {
    Queryable withResolution = new StoreOptions(null, null, null, maxResolution).applyTo(querier());
    try (Query q = Engine.builder().build().rangeQuery(withResolution, expr, from, to, step)) {
      QueryResult r = q.execute();
      assertThat(r).isInstanceOf(QueryResult.Matrix.class);
      return ((QueryResult.Matrix) r).series();
    }
  }

  @Override
  public void close() {
    try {
      if (endpoints != null) {
        endpoints.close();
      }
    } finally {
      try {
        if (server != null) {
          server.shutdownNow();
        }
        if (exec != null) {
          exec.close();
        }
      } finally {
        store.close();
      }
    }
  }

  /** Sub-chunk {@code k} of a downsampled chunk. */
  static Chunk slot(DownsampledChunk chunk, int k) {
    return AggrChunkSlots.chunks(ByteBuffer.wrap(chunk.data()), "expected", -1)[k];
  }

  /** A wire chunk decoded with the encoding it declares. */
  static Chunk wire(dev.orrery.storeapi.proto.thanos.Chunk chunk) {
    return WireChunks.toChunk(chunk, "test");
  }

  /** Every sample of a chunk, float or histogram, one a line. */
  static String samples(Chunk chunk) {
    StringBuilder b = new StringBuilder();
    SampleIterator it = chunk.iterator(null);
    ValueType type;
    while ((type = it.next()) != ValueType.NONE) {
      b.append(it.atT()).append('=');
      switch (type) {
        case FLOAT -> b.append(it.atV());
        case FLOAT_HISTOGRAM -> b.append(describe(it.atFloatHistogram()));
        default -> throw new AssertionError("unexpected " + type);
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** A float histogram's values, bucket by bucket index (independent of how spans lay the buckets out). */
  static String describe(FloatHistogram h) {
    StringBuilder b = new StringBuilder().append("schema=").append(h.schema()).append(" count=").append(h.count())
        .append(" sum=").append(h.sum()).append(" zero=").append(h.zeroCount()).append(" +[");
    Buckets positive = Buckets.of(h.positiveSpans(), h.positiveBuckets());
    for (int i = 0; i < positive.size(); i++) {
      if (positive.counts()[i] != 0) {
        b.append(positive.indexes()[i]).append(':').append(positive.counts()[i]).append(' ');
      }
    }
    return b.append("] -").append(h.negativeBuckets().length).toString();
  }

  /** The index of the latest sample in {@code ts} at or before {@code t}. */
  static int indexAtOrBefore(long[] ts, long t) {
    int i = 0;
    while (i + 1 < ts.length && ts[i + 1] <= t) {
      i++;
    }
    return i;
  }

  /** The indexes of the samples in {@code ts} in the 5m window that the stamp {@code t} closes. */
  static int[] window(long[] ts, long t) {
    long windowStart = t - Math.floorMod(t, RawDownsampler.RESOLUTION_5M);
    return IntStream.range(0, ts.length).filter(i -> ts[i] >= windowStart && ts[i] <= t).toArray();
  }
}
