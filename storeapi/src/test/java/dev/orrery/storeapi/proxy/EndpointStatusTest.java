package dev.orrery.storeapi.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.StoreStatus;
import dev.orrery.core.testing.MetricsText;
import dev.orrery.storeapi.InProcessStores;
import dev.orrery.storeapi.local.QueryableStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a querier shows of its endpoints: Thanos' store list and its connections gauge, before and after a failure. */
class EndpointStatusTest {
  @Test
  void aStoreThatGoesAwayKeepsItsLastInfoAndShowsTheError() throws Exception {
    try (InProcessStores stores = new InProcessStores()) {
      String name = stores.serve(new QueryableStore(Queryable.merge(List.of()), Labels.of("cluster", "eu"), "rule"));
      EndpointSet set = stores.endpoints(List.of(name));
      PrometheusRegistry registry = new PrometheusRegistry();
      set.registerMetrics(registry);

      StoreStatus healthy = set.storeStatuses().getFirst();
      assertThat(healthy.name()).isEqualTo(name);
      assertThat(healthy.componentType()).isEqualTo("rule");
      assertThat(healthy.lastError()).isNull();
      assertThat(healthy.labelSets()).containsExactly(Labels.of("cluster", "eu"));
      assertThat(MetricsText.value(registry, "thanos_store_nodes_grpc_connections"
          + "{external_labels=\"{cluster=\\\"eu\\\"}\",store_type=\"rule\"}")).isEqualTo(1);

      stores.kill(name);
      set.refresh();
      StoreStatus failed = set.storeStatuses().getFirst();
      assertThat(failed.lastError()).startsWith("UNAVAILABLE");
      assertThat(failed.lastCheck()).isAfterOrEqualTo(healthy.lastCheck());
      assertThat(failed.labelSets()).isEqualTo(healthy.labelSets());
      assertThat(MetricsText.of(registry)).doesNotContain("thanos_store_nodes_grpc_connections{");
    }
  }
}
