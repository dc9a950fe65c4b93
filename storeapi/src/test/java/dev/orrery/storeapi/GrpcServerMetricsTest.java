package dev.orrery.storeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.block.BlockSet;
import dev.orrery.core.block.PartitionedBlockWriter;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.MetricsText;
import dev.orrery.storeapi.local.QueryableStore;
import dev.orrery.storeapi.proto.info.InfoGrpc;
import dev.orrery.storeapi.proto.info.InfoRequest;
import dev.orrery.storeapi.proto.thanos.LabelMatcher;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import dev.orrery.storeapi.proto.thanos.StoreGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC server metrics, through a real gRPC server (in-process transport) serving a store with data. */
class GrpcServerMetricsTest {
  // Label names in the order the text format writes them (sorted).
  private static final String INFO = "grpc_method=\"Info\",grpc_service=\"thanos.info.Info\",grpc_type=\"unary\"";
  private static final String SERIES =
      "grpc_method=\"Series\",grpc_service=\"thanos.Store\",grpc_type=\"server_stream\"";

  @TempDir
  Path dir;

  @Test
  void callsAreCountedWithGoMiddlewareNamesAndCodes() throws Exception {
    PartitionedBlockWriter w = PartitionedBlockWriter.builder(dir).build();
    for (String job : new String[] {"a", "b", "c"}) {
      for (int i = 0; i < 10; i++) {
        w.append(Labels.of("__name__", "up", "job", job), 1_000_000L + i * 15_000L, 1);
      }
    }
    w.commit();
    PrometheusRegistry registry = new PrometheusRegistry();
    GrpcServerMetrics metrics = GrpcServerMetrics.register(registry);
    String name = InProcessServerBuilder.generateName();
    try (BlockSet blocks = BlockSet.open(dir); ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      QueryableStore store = new QueryableStore(blocks, Labels.of("cluster", "eu"), "store");
      Server server = InProcessServerBuilder.forName(name).executor(exec).intercept(metrics)
          .addServices(StoreServices.of(store, exec).stream().map(b -> b.bindService()).toList()).build().start();
      ManagedChannel channel = InProcessChannelBuilder.forName(name).executor(exec).build();
      try {
        InfoGrpc.newBlockingStub(channel).info(InfoRequest.getDefaultInstance());
        InfoGrpc.newBlockingStub(channel).info(InfoRequest.getDefaultInstance());
        int frames = 0;
        Iterator<SeriesResponse> it = StoreGrpc.newBlockingStub(channel).series(SeriesRequest.newBuilder()
            .setMinTime(0).setMaxTime(Long.MAX_VALUE).addMatchers(LabelMatcher.newBuilder()
                .setType(LabelMatcher.Type.EQ).setName("__name__").setValue("up")).build());
        while (it.hasNext()) {
          it.next();
          frames++;
        }
        assertThat(frames).isGreaterThanOrEqualTo(3);
        // A request with a regex that does not compile is refused; its status code is counted in Go's spelling.
        Status.Code refused = null;
        try {
          StoreGrpc.newBlockingStub(channel).series(SeriesRequest.newBuilder().setMaxTime(1).addMatchers(LabelMatcher
              .newBuilder().setType(LabelMatcher.Type.RE).setName("job").setValue("(")).build()).hasNext();
        } catch (StatusRuntimeException e) {
          refused = e.getStatus().getCode();
        }
        assertThat(refused).isNotNull().isNotEqualTo(Status.Code.OK);

        String text = MetricsText.of(registry);
        assertThat(MetricsText.value(text, "grpc_server_started_total{" + INFO + "}")).isEqualTo(2);
        assertThat(MetricsText.value(text, "grpc_server_handled_total{grpc_code=\"OK\"," + INFO + "}")).isEqualTo(2);
        assertThat(MetricsText.value(text, "grpc_server_msg_received_total{" + INFO + "}")).isEqualTo(2);
        assertThat(MetricsText.value(text, "grpc_server_msg_sent_total{" + INFO + "}")).isEqualTo(2);
        assertThat(MetricsText.value(text, "grpc_server_handling_seconds_count{" + INFO + "}")).isEqualTo(2);
        assertThat(MetricsText.value(text, "grpc_server_started_total{" + SERIES + "}")).isEqualTo(2);
        assertThat(MetricsText.value(text, "grpc_server_msg_sent_total{" + SERIES + "}")).isEqualTo(frames);
        assertThat(MetricsText.value(text, "grpc_server_handled_total{grpc_code=\"OK\"," + SERIES + "}")).isEqualTo(1);
        assertThat(MetricsText.value(text, "grpc_server_handled_total{grpc_code=\""
            + GrpcCallFamilies.codeName(refused) + "\"," + SERIES + "}")).isEqualTo(1);
        assertThat(text).contains("grpc_server_handling_seconds_bucket{" + INFO + ",le=\"720.0\"} 2");
      } finally {
        channel.shutdownNow();
        server.shutdownNow().awaitTermination();
      }
    }
  }

  @Test
  void codeNamesAreGrpcGos() {
    assertThat(GrpcCallFamilies.codeName(Status.Code.CANCELLED)).isEqualTo("Canceled");
    assertThat(GrpcCallFamilies.codeName(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo("ResourceExhausted");
    assertThat(GrpcCallFamilies.codeName(Status.Code.DEADLINE_EXCEEDED)).isEqualTo("DeadlineExceeded");
    assertThatThrownBy(() -> GrpcServerMetrics.register(registryWith())).isInstanceOf(IllegalArgumentException.class);
  }

  private static PrometheusRegistry registryWith() {
    PrometheusRegistry registry = new PrometheusRegistry();
    GrpcServerMetrics.register(registry);
    return registry;
  }

}
