package dev.orrery.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricMetadataSetTest {
  static final MetricMetadata COUNTER = new MetricMetadata("counter", "Requests served.", "");
  static final MetricMetadata GAUGE = new MetricMetadata("gauge", "Requests in flight.", "");
  static final MetricMetadata SECONDS = new MetricMetadata("histogram", "Latency.", "seconds");

  @Test
  void mergesEntriesOnceInTheOrderFirstSeen() {
    MetricMetadataSet set = MetricMetadataSet.builder(-1)
        .add("http_requests", List.of(COUNTER))
        .add("http_requests", List.of(GAUGE, COUNTER))
        .add("latency", List.of(SECONDS))
        .add("latency", List.of(SECONDS))
        .build();
    assertThat(set.byMetric()).containsExactly(Map.entry("http_requests", List.of(COUNTER, GAUGE)),
        Map.entry("latency", List.of(SECONDS)));
    assertThat(set.warnings()).isEmpty();
  }

  @Test
  void limitCountsFamiliesAndZeroTakesNone() {
    MetricMetadataSet.Builder two = MetricMetadataSet.builder(2);
    two.add("c", List.of(COUNTER)).add("a", List.of(GAUGE)).add("b", List.of(SECONDS))
        // A family already held still gains entries at the limit.
        .add("a", List.of(COUNTER));
    assertThat(two.build().byMetric()).containsExactly(Map.entry("a", List.of(GAUGE, COUNTER)),
        Map.entry("c", List.of(COUNTER)));
    assertThat(MetricMetadataSet.builder(0).add("a", List.of(GAUGE)).build().byMetric()).isEmpty();
  }

  @Test
  void familiesAreInUtf8ByteOrderAndWarningsAreKept() {
    MetricMetadataSet set = MetricMetadataSet.builder(-1)
        .add("b", List.of(GAUGE)).add("\u00e9", List.of(GAUGE)).add("B", List.of(GAUGE)).add("a_\uffff", List.of())
        .warn("store x failed").build();
    assertThat(set.byMetric().keySet()).containsExactly("B", "a_\uffff", "b", "\u00e9");
    assertThat(set.warnings()).containsExactly("store x failed");
    assertThat(MetricMetadataSet.builder(-1).addAll(set).build()).isEqualTo(set);
  }

  @Test
  void limitPerMetricKeepsTheFirstEntries() {
    MetricMetadataSet set = MetricMetadataSet.builder(-1).add("m", List.of(COUNTER, GAUGE, SECONDS))
        .add("n", List.of(GAUGE)).build();
    assertThat(set.limitPerMetric(2).byMetric()).containsExactly(Map.entry("m", List.of(COUNTER, GAUGE)),
        Map.entry("n", List.of(GAUGE)));
    assertThat(set.limitPerMetric(0)).isSameAs(set);
    assertThat(set.limitPerMetric(-1)).isSameAs(set);
  }
}
