package dev.orrery.core.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.labels.Labels;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetDiscoveryTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  static ActiveTarget target(String replica, String health, Instant last) {
    Labels l = Labels.of("job", "api", "instance", "a:9090", "replica", replica);
    return new ActiveTarget(l, l, "api", "http://a:9090/metrics", "http://a:9090/metrics", "", last, 0.01, health);
  }

  @Test
  void replicasTargetsAreOneAsThanosKeepsThem() {
    TargetDiscovery merged = TargetDiscovery.merge(
        List.of(target("a", "up", T), target("b", "up", T.plusSeconds(15)), target("c", "down", T)),
        List.of(new DroppedTarget(Labels.of("job", "x", "replica", "a")),
            new DroppedTarget(Labels.of("job", "x", "replica", "b"))),
        List.of("replica"), List.of("w"));
    // Thanos' health order puts down first; among equals the latest scrape wins.
    assertThat(merged.active()).singleElement().satisfies(t -> {
      assertThat(t.health()).isEqualTo("down");
      assertThat(t.labels()).isEqualTo(Labels.of("job", "api", "instance", "a:9090"));
    });
    assertThat(merged.dropped()).containsExactly(new DroppedTarget(Labels.of("job", "x")));
    assertThat(merged.warnings()).containsExactly("w");
    TargetDiscovery up = TargetDiscovery.merge(List.of(target("a", "up", T), target("b", "up", T.plusSeconds(15))),
        List.of(), List.of("replica"), List.of());
    assertThat(up.active()).singleElement().satisfies(t -> assertThat(t.lastScrape()).isEqualTo(T.plusSeconds(15)));
    // Without replica labels they stay apart.
    assertThat(TargetDiscovery.merge(List.of(target("a", "up", T), target("b", "up", T)), List.of(), List.of(),
        List.of()).active()).hasSize(2);
  }

  @Test
  void externalLabelsGoOnDiscoveredLabelsAndLabels() {
    TargetDiscovery d = new TargetDiscovery(List.of(target("a", "up", T)), List.of(new DroppedTarget(Labels.of())),
        List.of()).withExternalLabels(Labels.of("cluster", "eu"));
    assertThat(d.active().get(0).labels().get("cluster")).isEqualTo("eu");
    assertThat(d.active().get(0).discoveredLabels().get("cluster")).isEqualTo("eu");
    assertThat(d.dropped().get(0).discoveredLabels()).isEqualTo(Labels.of("cluster", "eu"));
  }
}
