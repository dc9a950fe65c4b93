package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.downsample.BlockDownsampler;
import dev.orrery.downsample.RawDownsampler;
import dev.orrery.objstore.InMemoryBucket;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.engine.Query;
import dev.orrery.promql.engine.QueryResult;
import dev.orrery.promql.engine.TimeSeries;
import dev.orrery.storeapi.StoreServices;
import dev.orrery.storeapi.gateway.BucketStore;
import dev.orrery.storeapi.proxy.EndpointSet;
import dev.orrery.storeapi.proxy.ProxyQueryable;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A float counter that resets in the middle of a 5m chunk, read through the gateway and the fan-out querier at 5m
 * resolution: {@code rate} and the like read the counter sub-chunks through the counter-reset iterator (FORMATS.md
 * 7.4, 7.5), so PromQL sees one monotonic counter with increasing timestamps (each sub-chunk's raw first value and its
 * duplicate-timestamp raw last value only serve reset detection) and the increase matches the raw data's.
 */
class DownsampledCounterResetsTest {
  private static final Labels SERIES = Labels.of("__name__", "requests_total", "job", "api");
  /** Two days at 60 s: five 5m chunks of about 576 samples. */
  private static final int N = 2_880;
  /** The scrape where the counter restarts from 0, in the middle of the second 5m chunk. */
  private static final int RESET_AT = 900;

  @TempDir
  Path tmp;
  private final long[] ts = new long[N];
  private final double[] counter = new double[N];
  private BucketStore store;

  @BeforeEach
  void setUp() throws Exception {
    long start = 1_700_006_400_000L;
    BlockWriter writer = BlockWriter.builder(tmp).externalLabels(Map.of("cluster", "eu")).build();
    for (int i = 0; i < N; i++) {
      ts[i] = start + i * 60_000L;
      counter[i] = (i >= RESET_AT ? i - RESET_AT : i) * 2.0 + 1;
      writer.append(SERIES, ts[i], counter[i]);
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
  void rateReadsOneMonotonicCounterAcrossChunksWithAReset() throws Exception {
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

      // The total since the first sample, with the reset added back: the raw value, plus the value before the reset.
      List<double[]> rate = select(querier, ts[0], end, "rate", RawDownsampler.RESOLUTION_5M);
      assertThat(rate).hasSizeLessThan(N / 4).hasSizeGreaterThan(N / 5);
      assertThat(rate.get(0)).containsExactly(ts[0], counter[0]);
      for (int k = 1; k < rate.size(); k++) {
        double[] s = rate.get(k);
        assertThat(s[0]).as("timestamps increase").isGreaterThan(rate.get(k - 1)[0]);
        int i = rawIndexAtOrBefore((long) s[0]);
        double adjusted = counter[i] + (i >= RESET_AT ? counter[RESET_AT - 1] : 0);
        assertThat(s[1]).as("counter at %d", (long) s[0]).isEqualTo(adjusted);
      }
      assertThat(rate.get(rate.size() - 1)[0]).isEqualTo(ts[N - 1]);

      // PromQL: the same increases from the 5m data as from the raw data, around the reset and over chunk boundaries.
      long from = ts[0] + 4 * 3_600_000L;
      String expr = "increase(requests_total[4h])";
      TimeSeries fromFiveMinute = rangeQuery(querier, expr, from, ts[N - 1], RawDownsampler.RESOLUTION_5M);
      TimeSeries fromRaw = rangeQuery(querier, expr, from, ts[N - 1], 0L);
      assertThat(fromFiveMinute.floatTimestamps()).isEqualTo(fromRaw.floatTimestamps()).hasSizeGreaterThan(8);
      for (int k = 0; k < fromRaw.floatValues().length; k++) {
        double r = fromRaw.floatValues()[k];
        assertThat(fromFiveMinute.floatValues()[k]).as("increase at %d", fromRaw.floatTimestamps()[k])
            .isCloseTo(r, Offset.offset(r * 0.01));
      }
    } finally {
      server.shutdownNow();
      exec.close();
    }
  }

  private static List<double[]> select(ProxyQueryable queryable, long start, long end, String function,
      long maxResolution) throws Exception {
    List<double[]> out = new ArrayList<>();
    SelectHints hints = new SelectHints(start, end, 0, function, 0, List.of(), false, false, List.of(), false,
        maxResolution);
    try (Querier q = queryable.querier(start, end)) {
      SeriesSet set = q.select(true, hints, Matcher.equal("__name__", "requests_total"));
      assertThat(set.next()).isTrue();
      SampleIterator it = set.at().iterator(null);
      while (it.next() == ValueType.FLOAT) {
        out.add(new double[] {it.atT(), it.atV()});
      }
      assertThat(set.next()).isFalse();
    }
    return out;
  }

  private static TimeSeries rangeQuery(Queryable querier, String expr, long from, long to, long maxResolution) {
    Queryable withResolution = new StoreOptions(null, null, null, maxResolution).applyTo(querier);
    try (Query q = Engine.builder().build().rangeQuery(withResolution, expr, from, to, 4 * 3_600_000L)) {
      QueryResult r = q.execute();
      List<TimeSeries> series = ((QueryResult.Matrix) r).series();
      assertThat(series).hasSize(1);
      return series.get(0);
    }
  }

  private int rawIndexAtOrBefore(long t) {
    int i = 0;
    while (i + 1 < N && ts[i + 1] <= t) {
      i++;
    }
    return i;
  }
}
