package dev.orrery.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.storage.Queryable;
import dev.orrery.core.testing.MetricsText;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's metrics count every executed query, failed ones too, and leave none in flight. */
class EngineMetricsTest {
  @Test
  void queriesAreTimedByQueueAndEvaluation() {
    PrometheusRegistry registry = new PrometheusRegistry();
    Engine engine = Engine.builder().maxConcurrentQueries(4).metrics(registry).build();
    Queryable empty = Queryable.merge(List.of());
    engine.instantQuery(empty, "1 + 1", 0).execute();
    engine.rangeQuery(empty, "vector(1)", 0, 60_000, 15_000).execute();
    // Fails while it executes, as Prometheus' label_replace does with a bad regular expression.
    assertThatThrownBy(() -> engine.instantQuery(empty, "label_replace(vector(1), \"x\", \"$1\", \"y\", \"(\")", 0)
        .execute()).isInstanceOf(QueryException.class).hasMessageContaining("invalid regular expression");

    String text = MetricsText.of(registry);
    assertThat(MetricsText.value(text, "prometheus_engine_query_duration_seconds_count{slice=\"queue_time\"}"))
        .isEqualTo(3);
    assertThat(MetricsText.value(text, "prometheus_engine_query_duration_seconds_count{slice=\"inner_eval\"}"))
        .isEqualTo(3);
    assertThat(MetricsText.value(text, "prometheus_engine_queries")).isZero();
    assertThat(MetricsText.value(text, "prometheus_engine_queries_concurrent_max")).isEqualTo(4);
    // An engine derived from this one shares its metrics rather than registering them twice.
    engine.newBuilder().build().instantQuery(empty, "2", 0).execute();
    assertThat(MetricsText.value(registry, "prometheus_engine_query_duration_seconds_count{slice=\"inner_eval\"}"))
        .isEqualTo(4);
  }
}
