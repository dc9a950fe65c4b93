package dev.orrery.storeapi.proxy;

import static dev.orrery.storeapi.StoreTesting.uploadBlock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.objstore.InMemoryBucket;
import dev.orrery.storeapi.InProcessStores;
import dev.orrery.storeapi.SeriesSink;
import dev.orrery.storeapi.StoreApi;
import dev.orrery.storeapi.StoreTesting.Sample;
import dev.orrery.storeapi.gateway.BucketStore;
import dev.orrery.storeapi.proto.info.InfoResponse;
import dev.orrery.storeapi.proto.thanos.LabelNamesRequest;
import dev.orrery.storeapi.proto.thanos.LabelNamesResponse;
import dev.orrery.storeapi.proto.thanos.LabelValuesRequest;
import dev.orrery.storeapi.proto.thanos.LabelValuesResponse;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ProxyQueryableTest {
  static final long H = 3_600_000L;
  static final long END = 4 * H;
  @TempDir Path tmp;
  InProcessStores stores = new InProcessStores();
  Map<String, Map<Long, Double>> truth = new TreeMap<>();

  static Labels series(String instance) {
    return Labels.of("__name__", "up", "instance", instance);
  }

  /** Replica a scrapes at 0, 15s, ... with a gap [1h, 1.5h); replica b 5s later without gaps. */
  static List<Sample> replica(String r, int instance) {
    List<Sample> out = new ArrayList<>();
    long offset = r.equals("a") ? 0 : 5000;
    for (long t = offset; t < END; t += 15_000) {
      if (r.equals("a") && t >= H && t < H + H / 2) {
        continue;
      }
      out.add(new Sample(t, instance * 1000 + t / 15_000));
    }
    return out;
  }

  String startGateway(String replica, long from, long to) throws Exception {
    return serve(gateway(replica, from, to));
  }

  BucketStore gateway(String replica, long from, long to) throws Exception {
    InMemoryBucket bucket = new InMemoryBucket();
    Path w = Files.createDirectories(tmp.resolve("w-" + replica + from));
    for (long blk = from; blk < to; blk += 2 * H) {
      Map<Labels, List<Sample>> s = new LinkedHashMap<>();
      for (int i = 0; i < 3; i++) {
        long b0 = blk;
        s.put(series("i" + i), replica(replica, i).stream().filter(x -> x.t() >= b0 && x.t() < b0 + 2 * H)
            .toList());
      }
      uploadBlock(bucket, w, Map.of("cluster", "eu", "replica", replica), s);
    }
    BucketStore store = BucketStore.builder(bucket, tmp.resolve("d-" + replica + from)).build();
    store.sync();
    return stores.closeLater(store);
  }

  String serve(StoreApi store) throws Exception {
    return stores.serve(store);
  }

  EndpointSet endpoints(List<String> names) throws Exception {
    return stores.endpoints(names);
  }

  @BeforeEach
  void setUp() {
    for (String r : List.of("a", "b")) {
      for (int i = 0; i < 3; i++) {
        Map<Long, Double> m = new TreeMap<>();
        replica(r, i).forEach(s -> m.put(s.t(), s.v()));
        truth.put(r + "/i" + i, m);
      }
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    stores.close();
  }

  static SelectHints hints(boolean dedup, boolean partial) {
    return new SelectHints(0, END, 0, "", 0, List.of(), false, dedup, List.of(), partial, 0);
  }

  static Map<Labels, List<Sample>> drain(SeriesSet set) {
    Map<Labels, List<Sample>> out = new LinkedHashMap<>();
    while (set.next()) {
      List<Sample> s = new ArrayList<>();
      SampleIterator it = set.at().iterator(null);
      while (it.next() == ValueType.FLOAT) {
        s.add(new Sample(it.atT(), it.atV()));
      }
      out.put(set.at().labels(), s);
    }
    return out;
  }

  @Test
  void withoutDedupEveryReplicaIsItsOwnSeriesAndOverlapsCountOnce() throws Exception {
    // Replica a is served twice over its first block (a "sidecar" and a "gateway"), b once.
    ProxyQueryable q = new ProxyQueryable(endpoints(List.of(startGateway("a", 0, END), startGateway("a", 0, 2 * H),
        startGateway("b", 0, END))), Duration.ofSeconds(10), List.of("replica"));
    try (Querier querier = q.querier(0, END)) {
      Map<Labels, List<Sample>> got = drain(querier.select(true, hints(false, false), Matcher.equal("__name__",
          "up")));
      assertThat(got).hasSize(6);
      List<Labels> keys = new ArrayList<>(got.keySet());
      assertThat(keys).isSorted();
      for (Map.Entry<Labels, List<Sample>> e : got.entrySet()) {
        String key = e.getKey().get("replica") + "/" + e.getKey().get("instance");
        Map<Long, Double> want = truth.get(key);
        assertThat(e.getValue()).hasSize(want.size());
        for (Sample s : e.getValue()) {
          assertThat(want.get(s.t())).isEqualTo(s.v());
        }
      }
    }
  }

  @Test
  void dedupMergesReplicasWithThePenaltyAlgorithm() throws Exception {
    ProxyQueryable q = new ProxyQueryable(endpoints(List.of(startGateway("a", 0, END), startGateway("b", 0, END))),
        Duration.ofSeconds(10), List.of("replica"));
    try (Querier querier = q.querier(0, END)) {
      Map<Labels, List<Sample>> got = drain(querier.select(true, hints(true, false), Matcher.equal("__name__", "up"),
          Matcher.equal("instance", "i1")));
      assertThat(got.keySet()).containsExactly(Labels.of("__name__", "up", "instance", "i1", "cluster", "eu"));
      List<Sample> s = got.values().iterator().next();
      long prev = Long.MIN_VALUE;
      for (Sample x : s) {
        assertThat(x.t()).isGreaterThan(prev);
        Double a = truth.get("a/i1").get(x.t());
        Double b = truth.get("b/i1").get(x.t());
        assertThat(x.v()).isIn(a, b);
        if (prev != Long.MIN_VALUE) {
          // The gap of replica a is filled from b: no hole longer than the penalty window.
          assertThat(x.t() - prev).isLessThanOrEqualTo(35_000);
        }
        prev = x.t();
      }
      assertThat(s.get(0).t()).isZero();
      assertThat(prev).isGreaterThan(END - 30_000);
    }
  }

  @Test
  void partialResponseWarnsOrAbortsNamingTheEndpoint() throws Exception {
    String dead = InProcessServerBuilder.generateName();
    EndpointSet set = endpoints(List.of(startGateway("a", 0, END), dead));
    ProxyQueryable q = new ProxyQueryable(set, Duration.ofSeconds(10), List.of("replica"));
    try (Querier querier = q.querier(0, END)) {
      SeriesSet ss = querier.select(true, hints(false, true), Matcher.equal("__name__", "up"));
      assertThat(drain(ss)).hasSize(3);
      assertThat(ss.warnings()).singleElement().asString().contains(dead).contains("UNAVAILABLE");
    }
    try (Querier querier = q.querier(0, END)) {
      assertThatThrownBy(() -> drain(querier.select(true, hints(false, false), Matcher.equal("__name__", "up"))))
          .isInstanceOf(OrreryException.class).hasMessageContaining("store " + dead + " failed");
    }
    // Label calls: the live store's answer plus a warning, or with partial response off the error. With
    // deduplication on (the default) the replica label is left out, as from series.
    try (Querier querier = q.querier(0, END)) {
      assertThat(querier.labelNames()).containsExactly("__name__", "cluster", "instance");
      assertThat(querier.labelNames(new StoreOptions(false, null, null, null)))
          .containsExactly("__name__", "cluster", "instance", "replica");
      assertThat(querier.labelValues("instance")).containsExactly("i0", "i1", "i2");
      assertThat(querier.labelValues("replica")).isEmpty();
      assertThat(querier.labelValues(new StoreOptions(false, null, null, null), "replica")).containsExactly("a");
      assertThat(querier.labelWarnings()).hasSize(4).allSatisfy(w -> assertThat(w).contains(dead)
          .contains("UNAVAILABLE"));
      StoreOptions strict = new StoreOptions(null, null, false, null);
      assertThatThrownBy(() -> querier.labelNames(strict)).isInstanceOf(OrreryException.class)
          .hasMessageContaining("store " + dead + " failed");
      assertThatThrownBy(() -> querier.labelValues(strict, "instance")).isInstanceOf(OrreryException.class)
          .hasMessageContaining("store " + dead + " failed");
    }
    // A queryable without partial response fails label calls whatever the options say.
    try (Querier querier = new ProxyQueryable(set, Duration.ofSeconds(10), List.of("replica"), true, false)
        .querier(0, END)) {
      assertThatThrownBy(() -> querier.labelNames(new StoreOptions(null, null, true, null)))
          .isInstanceOf(OrreryException.class).hasMessageContaining("store " + dead + " failed");
    }
  }

  /**
   * A store that answers Info, label names and values like {@code delegate}, but whose Series sends nothing until its
   * caller goes away; {@code left} opens when it sees that.
   */
  record StalledStore(StoreApi delegate, CountDownLatch left) implements StoreApi {
    @Override
    public void series(SeriesRequest request, SeriesSink sink) {
      while (!sink.isCancelled()) {
        LockSupport.parkNanos(10_000_000L);
      }
      left.countDown();
      throw new OrreryException(ErrorCode.CANCELLED, "caller left");
    }

    @Override
    public LabelNamesResponse labelNames(LabelNamesRequest request) {
      return delegate.labelNames(request);
    }

    @Override
    public LabelValuesResponse labelValues(LabelValuesRequest request) {
      return delegate.labelValues(request);
    }

    @Override
    public InfoResponse info() {
      return delegate.info();
    }
  }

  @Test
  @Timeout(30)
  void slowEndpointHitsItsDeadlineAsAWarningOrAnError() throws Exception {
    CountDownLatch left = new CountDownLatch(2);
    String slow = serve(new StalledStore(gateway("b", 0, END), left));
    EndpointSet set = endpoints(List.of(startGateway("a", 0, END), slow));
    ProxyQueryable q = new ProxyQueryable(set, Duration.ofMillis(500), List.of("replica"));
    long started = System.nanoTime();
    try (Querier querier = q.querier(0, END)) {
      SeriesSet ss = querier.select(true, hints(false, true), Matcher.equal("__name__", "up"));
      Map<Labels, List<Sample>> got = drain(ss);
      assertThat(got.keySet()).extracting(l -> l.get("replica")).containsOnly("a").hasSize(3);
      assertThat(ss.warnings()).singleElement().asString().contains(slow).contains("DEADLINE_EXCEEDED");
    }
    try (Querier querier = q.querier(0, END)) {
      assertThatThrownBy(() -> drain(querier.select(true, hints(false, false), Matcher.equal("__name__", "up"))))
          .isInstanceOf(OrreryException.class).hasMessageContaining("store " + slow + " failed")
          .hasMessageContaining("DEADLINE_EXCEEDED");
    }
    // Both answers came after one deadline each, not after the stalled store gave up, and it saw its caller leave.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    assertThat(left.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void queriersStack() throws Exception {
    EndpointSet lower = endpoints(List.of(startGateway("a", 0, END), startGateway("b", 0, END)));
    String upper = serve(new ProxyStore(lower, Duration.ofSeconds(10)));
    EndpointSet top = endpoints(List.of(upper));
    assertThat(top.endpoints().get(0).labelSets()).hasSize(2);
    ProxyQueryable q = new ProxyQueryable(top, Duration.ofSeconds(10), List.of("replica"));
    try (Querier querier = q.querier(0, END)) {
      assertThat(drain(querier.select(true, hints(false, false), Matcher.equal("__name__", "up")))).hasSize(6);
      assertThat(drain(querier.select(true, hints(true, false), Matcher.equal("__name__", "up")))).hasSize(3);
      assertThat(querier.labelValues(new StoreOptions(false, null, null, null), "replica"))
          .containsExactly("a", "b");
      assertThat(querier.labelValues("replica")).isEmpty();
    }
  }

  @Test
  @Timeout(30)
  void endpointsArePrunedByExternalLabelsAndTimeBeforeTheyAreCalled() throws Exception {
    // Replica b's store holds the first two hours and never answers a Series call: calling it would fail the
    // query (abort) after the 20 s deadline.
    CountDownLatch left = new CountDownLatch(1);
    String stalled = serve(new StalledStore(gateway("b", 0, 2 * H), left));
    EndpointSet set = endpoints(List.of(startGateway("a", 0, END), stalled));
    StoreEndpoint b = set.endpoints().get(1);
    assertThat(b.mayMatch(0, END, new Matcher[] {Matcher.equal("replica", "a")})).isFalse();
    assertThat(b.mayMatch(3 * H, END, new Matcher[0])).isFalse();
    assertThat(b.mayMatch(0, END, new Matcher[] {Matcher.regex("replica", "a|b")})).isTrue();

    ProxyQueryable q = new ProxyQueryable(set, Duration.ofSeconds(20), List.of("replica"));
    Matcher up = Matcher.equal("__name__", "up");
    try (Querier querier = q.querier(0, END)) {
      SeriesSet ss = querier.select(true, hints(false, false), up, Matcher.equal("replica", "a"));
      assertThat(drain(ss)).hasSize(3);
      assertThat(ss.warnings()).isEmpty();
    }
    try (Querier querier = q.querier(3 * H, END)) {
      SeriesSet ss = querier.select(true, new SelectHints(3 * H, END, 0, "", 0, List.of(), false, false, List.of(),
          false, 0), up);
      Map<Labels, List<Sample>> got = drain(ss);
      assertThat(got.keySet()).extracting(l -> l.get("replica")).containsOnly("a").hasSize(3);
      assertThat(got.values()).allSatisfy(samples -> assertThat(samples).isNotEmpty()
          .allSatisfy(x -> assertThat(x.t()).isBetween(3 * H, END)));
    }
    assertThat(left.getCount()).as("the pruned store was never asked for series").isEqualTo(1);
  }

  @Test
  void endpointFileIsReReadWhenItChanges() throws Exception {
    String a = startGateway("a", 0, END);
    String b = startGateway("b", 0, END);
    Path file = tmp.resolve("stores.txt");
    Files.writeString(file, "# stores\n" + a + "\n");
    EndpointSet set = stores.endpoints(List.of(), file);
    assertThat(set.endpoints()).extracting(StoreEndpoint::address).containsExactly(a);
    Files.writeString(file, "- " + a + "\n- " + b + "\n");
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
    set.refresh();
    assertThat(set.endpoints()).extracting(StoreEndpoint::address).containsExactly(a, b);
  }
}
