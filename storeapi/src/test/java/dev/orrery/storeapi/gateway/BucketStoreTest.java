package dev.orrery.storeapi.gateway;

import static dev.orrery.storeapi.StoreTesting.decode;
import static dev.orrery.storeapi.StoreTesting.samples;
import static dev.orrery.storeapi.StoreTesting.uploadBlock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.OrreryException;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.testing.MetricsText;
import dev.orrery.objstore.InMemoryBucket;
import dev.orrery.storeapi.SeriesSink;
import dev.orrery.storeapi.StoreServices;
import dev.orrery.storeapi.StoreTesting.Sample;
import dev.orrery.storeapi.WireLabels;
import dev.orrery.storeapi.proto.hints.SeriesResponseHints;
import dev.orrery.storeapi.proto.info.InfoResponse;
import dev.orrery.storeapi.proto.thanos.LabelMatcher;
import dev.orrery.storeapi.proto.thanos.LabelNamesRequest;
import dev.orrery.storeapi.proto.thanos.LabelValuesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import dev.orrery.storeapi.proto.thanos.ShardInfo;
import dev.orrery.storeapi.proto.thanos.StoreGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class BucketStoreTest {
  static final long H = 3_600_000L;
  @TempDir Path tmp;
  InMemoryBucket bucket;
  BucketStore store;
  Map<String, Map<Labels, List<Sample>>> written = new LinkedHashMap<>();

  static Labels up(String instance) {
    return Labels.of("__name__", "up", "job", "api", "instance", instance);
  }

  @BeforeEach
  void setUp() throws Exception {
    bucket = new InMemoryBucket();
    Path w = Files.createDirectories(tmp.resolve("write"));
    // Replica a: two consecutive 2h blocks; replica b: one block over the first 2h.
    for (String replica : List.of("a", "b")) {
      for (int blk = 0; blk < (replica.equals("a") ? 2 : 1); blk++) {
        Map<Labels, List<Sample>> series = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
          series.put(up("i" + i), samples(blk * 2 * H, (blk + 1) * 2 * H, 15_000, i));
        }
        series.put(Labels.of("__name__", "other", "x", "1"), samples(blk * 2 * H, (blk + 1) * 2 * H, 60_000, 0));
        uploadBlock(bucket, w, Map.of("cluster", "eu", "replica", replica), series);
      }
    }
    store = BucketStore.builder(bucket, tmp.resolve("data"))
        .indexCache(new IndexCache(1 << 20, 1 << 20))
        .build();
    BucketStore.SyncResult r = store.sync();
    assertThat(r.added()).hasSize(3);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  static LabelMatcher eq(String n, String v) {
    return LabelMatcher.newBuilder().setType(LabelMatcher.Type.EQ).setName(n).setValue(v).build();
  }

  List<SeriesResponse> series(SeriesRequest req) {
    List<SeriesResponse> out = new ArrayList<>();
    store.series(req, out::add);
    return out;
  }

  @Test
  void servesSeriesWithExternalLabelsInLabelOrder() {
    List<SeriesResponse> frames = series(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * H)
        .addMatchers(eq("__name__", "up")).build());
    Map<Labels, List<Sample>> got = decode(frames);
    assertThat(got).hasSize(60);
    List<Labels> order = new ArrayList<>(got.keySet());
    for (int i = 1; i < order.size(); i++) {
      assertThat(order.get(i - 1).compareTo(order.get(i))).isNegative();
    }
    Labels a7 = up("i7").toBuilder().set("cluster", "eu").set("replica", "a").build();
    assertThat(got.get(a7)).isEqualTo(samples(0, 4 * H, 15_000, 7));
    Labels b7 = up("i7").toBuilder().set("cluster", "eu").set("replica", "b").build();
    assertThat(got.get(b7)).isEqualTo(samples(0, 2 * H, 15_000, 7));
    SeriesResponse last = frames.get(frames.size() - 1);
    assertThat(last.hasHints()).isTrue();
  }

  @Test
  void externalLabelMatchersSelectBlocks() throws Exception {
    assertThat(decode(series(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * H)
        .addMatchers(eq("__name__", "up")).addMatchers(eq("replica", "b")).build()))).hasSize(30);
    assertThat(decode(series(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * H)
        .addMatchers(eq("__name__", "up")).addMatchers(eq("cluster", "us")).build()))).isEmpty();
    List<SeriesResponse> frames = series(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * H)
        .addMatchers(eq("__name__", "up")).addMatchers(eq("replica", "b")).build());
    assertThat(frames.get(frames.size() - 1).getHints().unpack(SeriesResponseHints.class).getQueriedBlocksCount())
        .isEqualTo(1);
  }

  @Test
  void withoutReplicaLabelsMergesReplicasIntoOneSeries() {
    Map<Labels, List<Sample>> got = decode(series(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * H)
        .addMatchers(eq("__name__", "up")).addMatchers(eq("instance", "i3"))
        .addWithoutReplicaLabels("replica").build()));
    Labels l = up("i3").toBuilder().set("cluster", "eu").build();
    assertThat(got.keySet()).containsExactly(l);
    assertThat(got.get(l)).isEqualTo(samples(0, 4 * H, 15_000, 3));
  }

  @Test
  void timeRangeSelectsChunksAndBlocks() {
    List<SeriesResponse> frames = series(SeriesRequest.newBuilder().setMinTime(3 * H).setMaxTime(3 * H + 60_000)
        .addMatchers(eq("__name__", "up")).addMatchers(eq("instance", "i1")).build());
    Map<Labels, List<Sample>> got = decode(frames);
    assertThat(got).hasSize(1);
    List<Sample> s = got.values().iterator().next();
    assertThat(s.get(0).t()).isLessThanOrEqualTo(3 * H);
    assertThat(s.get(s.size() - 1).t()).isGreaterThanOrEqualTo(3 * H + 60_000);
    assertThat(s.size()).isLessThanOrEqualTo(240);
  }

  @Test
  void skipChunksSendsLabelsOnly() {
    List<SeriesResponse> frames = series(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * H)
        .addMatchers(eq("__name__", "other")).setSkipChunks(true).build());
    assertThat(frames.stream().filter(SeriesResponse::hasSeries).toList()).hasSize(2)
        .allSatisfy(f -> assertThat(f.getSeries().getChunksCount()).isZero());
  }

  @Test
  void responseBatchSizePacksSeries() {
    List<SeriesResponse> frames = series(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * H)
        .addMatchers(eq("__name__", "up")).setResponseBatchSize(25).build());
    assertThat(frames.stream().filter(SeriesResponse::hasBatch).count()).isEqualTo(3);
    assertThat(decode(frames)).hasSize(60);
  }

  @Test
  void shardsPartitionTheSeries() {
    int total = 0;
    for (int shard = 0; shard < 3; shard++) {
      total += decode(series(SeriesRequest.newBuilder().setMinTime(0).setMaxTime(4 * H)
          .addMatchers(eq("__name__", "up"))
          .setShardInfo(ShardInfo.newBuilder().setShardIndex(shard).setTotalShards(3).setBy(false)).build())).size();
    }
    assertThat(total).isEqualTo(60);
  }

  @Test
  void limitsFailWithClearErrors() throws Exception {
    try (BucketStore limited = BucketStore.builder(bucket, tmp.resolve("data2"))
        .limits(new StoreLimits(10, 0, 0, 1)).build()) {
      limited.sync();
      assertThatThrownBy(() -> limited.series(SeriesRequest.newBuilder().setMaxTime(4 * H)
          .addMatchers(eq("__name__", "up")).build(), r -> { }))
          .isInstanceOf(OrreryException.class)
          .hasMessageContaining("exceeded series limit: limit 10 violated");
    }
    try (BucketStore limited = BucketStore.builder(bucket, tmp.resolve("data3"))
        .limits(new StoreLimits(0, 0, 1000, 1)).build()) {
      limited.sync();
      assertThatThrownBy(() -> limited.series(SeriesRequest.newBuilder().setMaxTime(4 * H)
          .addMatchers(eq("__name__", "up")).build(), r -> { }))
          .isInstanceOf(OrreryException.class)
          .hasMessageContaining("exceeded bytes limit: limit 1000");
    }
    assertThatThrownBy(() -> store.series(SeriesRequest.newBuilder().setMaxTime(4 * H).build(), r -> { }))
        .hasMessageContaining("no matchers specified");
  }

  @Test
  void metricsFollowSyncsRequestsCachesAndLimits() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (BucketStore measured = BucketStore.builder(bucket, tmp.resolve("data4"))
        .indexCache(new IndexCache(1 << 20, 2 << 20)).limits(new StoreLimits(40, 0, 0, 2)).metrics(registry).build()) {
      measured.sync();
      String text = MetricsText.of(registry);
      assertThat(MetricsText.value(text, "thanos_bucket_store_blocks_loaded")).isEqualTo(3);
      assertThat(MetricsText.value(text, "thanos_bucket_store_block_loads_total")).isEqualTo(3);
      assertThat(MetricsText.value(text, "thanos_blocks_meta_syncs_total")).isEqualTo(1);
      assertThat(MetricsText.value(text, "thanos_blocks_meta_synced{state=\"loaded\"}")).isEqualTo(3);
      assertThat(MetricsText.value(text, "thanos_blocks_meta_synced{state=\"duplicate\"}")).isZero();
      assertThat(MetricsText.value(text, "thanos_bucket_store_series_gate_queries_max")).isEqualTo(2);
      assertThat(MetricsText.value(text, "thanos_store_index_cache_max_size_bytes{item_type=\"Series\"}"))
          .isEqualTo(2 << 20);

      List<SeriesResponse> frames = new ArrayList<>();
      measured.series(SeriesRequest.newBuilder().setMaxTime(4 * H).addMatchers(eq("__name__", "other")).build(),
          frames::add);
      int returned = decode(frames).size();
      assertThatThrownBy(() -> measured.series(SeriesRequest.newBuilder().setMaxTime(4 * H)
          .addMatchers(eq("__name__", "up")).build(), r -> { })).hasMessageContaining("exceeded series limit");

      bucket.delete(measured.blocks().get(0).ulid() + "/meta.json");
      measured.sync();
      text = MetricsText.of(registry);
      assertThat(MetricsText.value(text, "thanos_bucket_store_series_result_series_count")).isEqualTo(1);
      assertThat(MetricsText.value(text, "thanos_bucket_store_series_result_series_sum")).isEqualTo(returned);
      assertThat(MetricsText.value(text, "thanos_bucket_store_series_blocks_queried_sum")).isEqualTo(3);
      assertThat(MetricsText.value(text,
          "thanos_bucket_store_series_data_size_fetched_bytes_sum{data_type=\"chunks\"}"))
          .isPositive();
      assertThat(MetricsText.value(text, "thanos_bucket_store_queries_dropped_total{reason=\"series\"}")).isEqualTo(1);
      assertThat(MetricsText.value(text, "thanos_bucket_store_series_gate_queries_in_flight")).isZero();
      assertThat(MetricsText.value(text, "thanos_bucket_store_series_gate_duration_seconds_count")).isEqualTo(2);
      assertThat(MetricsText.value(text, "thanos_store_index_cache_requests_total{item_type=\"Postings\"}"))
          .isPositive();
      assertThat(MetricsText.value(text, "thanos_store_index_cache_items{item_type=\"Series\"}")).isPositive();
      assertThat(MetricsText.value(text, "thanos_bucket_store_block_drops_total")).isEqualTo(1);
      assertThat(MetricsText.value(text, "thanos_bucket_store_blocks_loaded")).isEqualTo(2);
      assertThat(MetricsText.value(text, "thanos_blocks_meta_syncs_total")).isEqualTo(2);
    }
  }

  /** A sink that holds the producing thread on its first frame until released, and records what it got. */
  static final class HeldSink implements SeriesSink {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<SeriesResponse> frames = new CopyOnWriteArrayList<>();
    volatile boolean cancelled;

    @Override
    public void send(SeriesResponse response) {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      frames.add(response);
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }
  }

  @Test
  @Timeout(60)
  void concurrencyGateQueuesRequestsBeyondTheLimitAndDropsThoseWhoseClientLeft() throws Exception {
    SeriesRequest up = SeriesRequest.newBuilder().setMaxTime(4 * H).addMatchers(eq("__name__", "up")).build();
    HeldSink first = new HeldSink();
    HeldSink second = new HeldSink();
    second.release.countDown();
    HeldSink leaves = new HeldSink();
    leaves.release.countDown();
    try (BucketStore gated = BucketStore.builder(bucket, tmp.resolve("gated"))
            .limits(new StoreLimits(0, 0, 0, 1)).build();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      gated.sync();
      try {
        Future<?> firstDone = threads.submit(() -> gated.series(up, first));
        assertThat(first.started.await(10, TimeUnit.SECONDS)).as("the first request runs").isTrue();
        Future<?> secondDone = threads.submit(() -> gated.series(up, second));
        Future<?> leavesDone = threads.submit(() -> gated.series(up, leaves));

        // One slot: the second and third wait while the first is held in the middle of its stream.
        Thread.sleep(300);
        assertThat(second.frames).isEmpty();
        assertThat(secondDone.isDone()).isFalse();
        assertThat(leavesDone.isDone()).isFalse();

        // The third one's client goes away: it leaves the queue without being served.
        leaves.cancelled = true;
        assertThatThrownBy(() -> leavesDone.get(10, TimeUnit.SECONDS)).cause()
            .isInstanceOf(OrreryException.class).hasMessageContaining("client went away while the request waited");
        assertThat(leaves.frames).isEmpty();
        assertThat(secondDone.isDone()).isFalse();

        first.release.countDown();
        firstDone.get(10, TimeUnit.SECONDS);
        secondDone.get(10, TimeUnit.SECONDS);
        assertThat(decode(first.frames)).hasSize(60);
        assertThat(decode(second.frames)).isEqualTo(decode(first.frames));
      } finally {
        // Let every request finish, so that closing the executor does not wait forever after a failed assertion.
        first.release.countDown();
        leaves.cancelled = true;
      }
    }
  }

  @Test
  void requestLimitStopsAfterNSeries() {
    assertThat(decode(series(SeriesRequest.newBuilder().setMaxTime(4 * H)
        .addMatchers(eq("__name__", "up")).setLimit(5).build()))).hasSize(5);
  }

  @Test
  void labelNamesAndValuesIncludeExternalLabels() {
    assertThat(store.labelNames(LabelNamesRequest.newBuilder().setStart(0).setEnd(4 * H).build()).getNamesList())
        .containsExactly("__name__", "cluster", "instance", "job", "replica", "x");
    assertThat(store.labelNames(LabelNamesRequest.newBuilder().setStart(0).setEnd(4 * H)
        .addWithoutReplicaLabels("replica").addMatchers(eq("__name__", "other")).build()).getNamesList())
        .containsExactly("__name__", "cluster", "x");
    assertThat(store.labelValues(LabelValuesRequest.newBuilder().setLabel("replica").setStart(0).setEnd(4 * H)
        .build()).getValuesList()).containsExactly("a", "b");
    assertThat(store.labelValues(LabelValuesRequest.newBuilder().setLabel("replica").setStart(2 * H + 1)
        .setEnd(4 * H).build()).getValuesList()).containsExactly("a");
    assertThat(store.labelValues(LabelValuesRequest.newBuilder().setLabel("__name__").setStart(0).setEnd(4 * H)
        .build()).getValuesList()).containsExactly("other", "up");
  }

  @Test
  void infoReportsLabelSetsAndTimeRange() {
    InfoResponse info = store.info();
    assertThat(info.getComponentType()).isEqualTo("store");
    assertThat(info.getLabelSetsList()).hasSize(2);
    assertThat(info.getStore().getMinTime()).isZero();
    assertThat(info.getStore().getMaxTime()).isEqualTo(4 * H - 15_000 + 1); // exclusive block end
    assertThat(info.getStore().getSupportsWithoutReplicaLabels()).isTrue();
  }

  @Test
  void indexHeaderIsKeptOnDiskAndBlocksUnloadWhenIdle() throws Exception {
    series(SeriesRequest.newBuilder().setMaxTime(4 * H).addMatchers(eq("__name__", "up")).build());
    assertThat(store.loadedBlocks()).isEqualTo(3);
    assertThat(store.loadedIndexHeaderBytes()).isPositive();
    for (var m : store.blocks()) {
      Path header = tmp.resolve("data").resolve(m.ulid().toString()).resolve(IndexHeader.FILE_NAME);
      assertThat(header).exists();
      assertThat(Files.size(header)).isLessThan(bucket.attributes(m.ulid() + "/index").sizeBytes());
    }
    assertThat(store.unloadIdle()).isEqualTo(3);
    assertThat(store.loadedBlocks()).isZero();
    // Reloads from the header on disk.
    assertThat(decode(series(SeriesRequest.newBuilder().setMaxTime(4 * H).addMatchers(eq("__name__", "up"))
        .build()))).hasSize(60);
    assertThat(store.indexCache().hits()).isPositive();
  }

  @Test
  void servesOverGrpcWithStatusCodes() throws Exception {
    ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).executor(exec).addServices(
        StoreServices.of(store, exec).stream().map(s -> s.bindService()).toList()).build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).executor(exec).build();
    try {
      Iterator<SeriesResponse> it = StoreGrpc.newBlockingStub(ch).series(SeriesRequest.newBuilder().setMaxTime(4 * H)
          .addMatchers(eq("__name__", "up")).build());
      List<SeriesResponse> frames = new ArrayList<>();
      it.forEachRemaining(frames::add);
      assertThat(decode(frames)).hasSize(60);
      Iterator<SeriesResponse> bad = StoreGrpc.newBlockingStub(ch).series(SeriesRequest.newBuilder()
          .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.RE).setName("a").setValue("(")).build());
      assertThatThrownBy(bad::hasNext).isInstanceOfSatisfying(StatusRuntimeException.class,
          e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    } finally {
      ch.shutdownNow();
      server.shutdownNow();
      exec.close();
    }
  }

  @Test
  void labelSelectorShardsByExternalLabels() throws Exception {
    try (BucketStore sharded = BucketStore.builder(bucket, tmp.resolve("data4"))
        .labelSelector(List.of(Matcher.equal("replica", "b"))).build()) {
      sharded.sync();
      assertThat(sharded.blocks()).hasSize(1);
      assertThat(WireLabels.toLabels(sharded.info().getLabelSets(0).getLabelsList()).get("replica")).isEqualTo("b");
    }
  }
}
