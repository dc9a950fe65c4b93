package dev.orrery.storeapi.sidecar;

import static dev.orrery.storeapi.StoreTesting.decode;
import static dev.orrery.storeapi.StoreTesting.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.OrreryException;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.MetricsText;
import dev.orrery.core.testing.PrometheusProcess;
import dev.orrery.objstore.InMemoryBucket;
import dev.orrery.objstore.block.Shipper;
import dev.orrery.storeapi.StoreTesting.Sample;
import dev.orrery.storeapi.WireLabels;
import dev.orrery.storeapi.proto.info.InfoResponse;
import dev.orrery.storeapi.proto.thanos.LabelMatcher;
import dev.orrery.storeapi.proto.thanos.LabelNamesRequest;
import dev.orrery.storeapi.proto.thanos.LabelValuesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar against a real Prometheus 2.42 on loopback serving a block we wrote. */
@Tag("interop")
class SidecarPrometheusTest {
  static final long T0 = 1704067200000L;
  static final long H = 3_600_000L;
  @TempDir static Path tmp;
  static PrometheusProcess prometheus;
  static SidecarStore sidecar;
  static BlockMeta block;

  static Labels up(int i) {
    return Labels.of("__name__", "up", "job", "api", "instance", "i" + i);
  }

  @BeforeAll
  static void start() throws Exception {
    Path data = tmp.resolve("prom");
    BlockWriter w = BlockWriter.builder(java.nio.file.Files.createDirectories(data)).build();
    for (int i = 0; i < 5; i++) {
      for (Sample s : samples(T0, T0 + 2 * H, 15_000, i)) {
        w.append(up(i), s.t(), s.v());
      }
    }
    block = w.commit();
    prometheus = PrometheusProcess.start(tmp, data, Map.of("cluster", "eu", "replica", "a"));
    sidecar = new SidecarStore(new PrometheusClient(prometheus.url(), HttpClient.newHttpClient(),
        Duration.ofSeconds(30)), data);
    sidecar.refresh();
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  static LabelMatcher eq(String n, String v) {
    return LabelMatcher.newBuilder().setName(n).setValue(v).build();
  }

  static List<SeriesResponse> series(SeriesRequest r) {
    List<SeriesResponse> out = new ArrayList<>();
    sidecar.series(r, out::add);
    return out;
  }

  @Test
  void infoReportsExternalLabelsAndTimeRange() {
    InfoResponse info = sidecar.info();
    assertThat(info.getComponentType()).isEqualTo("sidecar");
    assertThat(WireLabels.toLabels(info.getLabelSets(0).getLabelsList()))
        .isEqualTo(Labels.of("cluster", "eu", "replica", "a"));
    assertThat(info.getStore().getMinTime()).isEqualTo(T0);
    assertThat(info.getStore().getMaxTime()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void seriesPassChunksThroughWithExternalLabels() {
    Map<Labels, List<Sample>> got = decode(series(SeriesRequest.newBuilder().setMinTime(T0).setMaxTime(T0 + 2 * H)
        .addMatchers(eq("__name__", "up")).build()));
    assertThat(got).hasSize(5);
    for (int i = 0; i < 5; i++) {
      Labels l = up(i).toBuilder().set("cluster", "eu").set("replica", "a").build();
      assertThat(got.get(l)).isEqualTo(samples(T0, T0 + 2 * H, 15_000, i));
    }
    assertThat(new ArrayList<>(got.keySet())).isSorted();
  }

  @Test
  void externalLabelMatchersAndReplicaRemoval() {
    assertThat(series(SeriesRequest.newBuilder().setMinTime(T0).setMaxTime(T0 + 2 * H)
        .addMatchers(eq("__name__", "up")).addMatchers(eq("cluster", "us")).build())).isEmpty();
    Map<Labels, List<Sample>> got = decode(series(SeriesRequest.newBuilder().setMinTime(T0).setMaxTime(T0 + 2 * H)
        .addMatchers(eq("__name__", "up")).addMatchers(eq("cluster", "eu")).addMatchers(eq("instance", "i2"))
        .addWithoutReplicaLabels("replica").build()));
    assertThat(got.keySet()).containsExactly(up(2).toBuilder().set("cluster", "eu").build());
    assertThatThrownBy(() -> series(SeriesRequest.newBuilder().setMaxTime(T0 + 2 * H)
        .addMatchers(eq("cluster", "eu")).build())).isInstanceOf(OrreryException.class)
        .hasMessageContaining("no matchers specified");
  }

  @Test
  void labelNamesAndValues() {
    assertThat(sidecar.labelNames(LabelNamesRequest.newBuilder().setStart(T0).setEnd(T0 + 2 * H).build())
        .getNamesList()).containsExactly("__name__", "cluster", "instance", "job", "replica");
    assertThat(sidecar.labelValues(LabelValuesRequest.newBuilder().setLabel("instance").setStart(T0)
        .setEnd(T0 + 2 * H).build()).getValuesList()).containsExactly("i0", "i1", "i2", "i3", "i4");
    assertThat(sidecar.labelValues(LabelValuesRequest.newBuilder().setLabel("cluster").build()).getValuesList())
        .containsExactly("eu");
  }

  @Test
  void metricsTellWhetherPrometheusIsReachable() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    SidecarStore measured = new SidecarStore(new PrometheusClient(prometheus.url(), HttpClient.newHttpClient(),
        Duration.ofSeconds(30)), null);
    measured.registerMetrics(registry);
    assertThat(MetricsText.value(registry, "thanos_sidecar_prometheus_up")).isZero();
    long before = System.currentTimeMillis();
    measured.refresh();
    assertThat(MetricsText.value(registry, "thanos_sidecar_prometheus_up")).isEqualTo(1);
    assertThat(MetricsText.value(registry, "thanos_sidecar_last_heartbeat_success_time_seconds"))
        .isBetween(before / 1000.0, System.currentTimeMillis() / 1000.0);

    PrometheusRegistry unreachableRegistry = new PrometheusRegistry();
    SidecarStore unreachable;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      unreachable = new SidecarStore(new PrometheusClient(java.net.URI.create("http://127.0.0.1:"
          + socket.getLocalPort()), HttpClient.newHttpClient(), Duration.ofSeconds(5)), null);
    }
    unreachable.registerMetrics(unreachableRegistry);
    assertThatThrownBy(unreachable::refresh).isInstanceOf(java.io.IOException.class);
    assertThat(MetricsText.value(unreachableRegistry, "thanos_sidecar_prometheus_up")).isZero();
    assertThat(MetricsText.value(unreachableRegistry, "thanos_sidecar_last_heartbeat_success_time_seconds")).isZero();
  }

  @Test
  void shipperUploadsTheBlockWithExternalLabels() throws Exception {
    InMemoryBucket bucket = new InMemoryBucket();
    Shipper shipper = sidecar.shipper(bucket);
    Shipper.SyncResult r = shipper.sync();
    assertThat(r.uploaded()).contains(block.ulid());
    String meta = new String(bucket.get(block.ulid() + "/meta.json").readAllBytes());
    assertThat(meta).contains("\"cluster\": \"eu\"").contains("\"source\": \"sidecar\"");
  }
}
