package dev.orrery.storeapi.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orrery.core.OrreryException;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.rules.AlertStatus;
import dev.orrery.core.rules.AlertingRuleStatus;
import dev.orrery.core.rules.RecordingRuleStatus;
import dev.orrery.core.rules.RuleGroupStatus;
import dev.orrery.core.rules.RuleGroups;
import dev.orrery.core.rules.RuleStatus;
import dev.orrery.core.rules.RulesFilter;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.core.testing.PrometheusProcess;
import dev.orrery.storeapi.InProcessStores;
import dev.orrery.storeapi.proxy.ProxyStore;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules API against two real Prometheus 2.42 replicas evaluating the same rule file: each sidecar shows its
 * Prometheus' rules with the external labels, and a querier over both shows each rule once when told the replica
 * label.
 */
@Tag("interop")
class SidecarRulesTest {
  static final String RULES = """
      groups:
        - name: availability
          rules:
            - record: job:vector:sum
              expr: sum(vector(2))
            - alert: AlwaysFiring
              expr: vector(1) > 0
              labels:
                severity: page
              annotations:
                summary: 'value {{ $value }}'
            - alert: NeverFiring
              expr: vector(0) > 1
      """;
  static final StoreOptions STRICT = new StoreOptions(null, null, false, null);
  @TempDir static Path tmp;
  static Path ruleFile;
  static final List<PrometheusProcess> prometheis = new ArrayList<>();
  static final List<SidecarStore> sidecars = new ArrayList<>();
  static final InProcessStores stores = new InProcessStores();

  @BeforeAll
  static void start() throws Exception {
    ruleFile = Files.writeString(tmp.resolve("rules.yml"), RULES);
    for (String replica : List.of("a", "b")) {
      PrometheusProcess p = PrometheusProcess.startWithRules(tmp, tmp.resolve("prom-" + replica),
          Map.of("cluster", "eu", "replica", replica), ruleFile);
      prometheis.add(p);
      SidecarStore s = new SidecarStore(new PrometheusClient(p.url(), HttpClient.newHttpClient(),
          Duration.ofSeconds(30)), null);
      s.refresh();
      sidecars.add(s);
    }
    // Until both have evaluated the group and the alert fires.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (PrometheusProcess p : prometheis) {
      while (!p.api("/api/v1/alerts").path("alerts").toString().contains("\"firing\"")
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    stores.close();
    for (PrometheusProcess p : prometheis) {
      p.close();
    }
  }

  @Test
  void sidecarShowsPrometheusRulesWithExternalLabels() throws Exception {
    SidecarStore sidecar = sidecars.get(0);
    assertThat(sidecar.info().hasRules()).isTrue();
    RuleGroups got = sidecar.ruleGroups(RulesFilter.ALL, STRICT);
    JsonNode expected = prometheis.get(0).api("/api/v1/rules").path("groups").get(0);
    RuleGroupStatus group = got.groups().get(0);
    assertThat(got.groups()).hasSize(1);
    assertThat(group.name()).isEqualTo("availability");
    assertThat(group.file()).isEqualTo(expected.path("file").asText());
    assertThat(group.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(group.lastEvaluation()).isNotNull();
    // In the file's order, each as Prometheus reports it, with the external labels.
    Labels ext = Labels.of("cluster", "eu", "replica", "a");
    assertThat(group.rules()).extracting(RuleStatus::name, RuleStatus::query, RuleStatus::health).containsExactly(
        tuple("job:vector:sum", "sum(vector(2))", "ok"), tuple("AlwaysFiring", "vector(1) > 0", "ok"),
        tuple("NeverFiring", "vector(0) > 1", "ok"));
    assertThat(group.rules().get(0)).isInstanceOf(RecordingRuleStatus.class);
    assertThat(group.rules().get(0).labels()).isEqualTo(ext);
    AlertingRuleStatus firing = (AlertingRuleStatus) group.rules().get(1);
    assertThat(firing.state()).isEqualTo("firing");
    assertThat(firing.labels()).isEqualTo(ext.toBuilder().set("severity", "page").build());
    assertThat(firing.annotations()).containsEntry("summary", "value {{ $value }}");
    AlertStatus alert = firing.alerts().get(0);
    assertThat(alert.labels()).isEqualTo(ext.toBuilder().set("alertname", "AlwaysFiring").set("severity", "page")
        .build());
    assertThat(alert.annotations()).containsEntry("summary", "value 1");
    JsonNode expectedAlert = expected.path("rules").get(1).path("alerts").get(0);
    assertThat(alert.value()).isEqualTo(expectedAlert.path("value").asText());
    assertThat(alert.activeAt()).isEqualTo(OffsetDateTime.parse(expectedAlert.path("activeAt").asText()).toInstant());
    assertThat(((AlertingRuleStatus) group.rules().get(2)).state()).isEqualTo("inactive");
    // Filters: alerting rules only; one file.
    assertThat(sidecar.ruleGroups(new RulesFilter("alert", List.of(), List.of(), List.of()), STRICT).groups().get(0)
        .rules()).extracting(RuleStatus::name).containsExactly("AlwaysFiring", "NeverFiring");
    assertThat(sidecar.ruleGroups(new RulesFilter(null, List.of(), List.of(), List.of("other.yml")), STRICT)
        .groups()).isEmpty();
  }

  @Test
  void querierShowsReplicasRulesOnceWhenToldTheReplicaLabel() throws Exception {
    ProxyStore querier = stores.querier(List.of(stores.serve(sidecars.get(0)), stores.serve(sidecars.get(1))));
    assertThat(querier.info().hasRules()).isTrue();
    RuleGroups dedup = querier.ruleGroups(RulesFilter.ALL, new StoreOptions(null, List.of("replica"), false, null));
    assertThat(dedup.warnings()).isEmpty();
    assertThat(dedup.groups()).singleElement().satisfies(g -> assertThat(g.rules())
        .extracting(RuleStatus::name, RuleStatus::labels).containsExactly(
            tuple("AlwaysFiring", Labels.of("cluster", "eu", "severity", "page")),
            tuple("NeverFiring", Labels.of("cluster", "eu")),
            tuple("job:vector:sum", Labels.of("cluster", "eu"))));
    // The kept replica's alert, with its labels as they were; without the replica label, each replica's.
    assertThat(dedup.activeAlerts()).singleElement().satisfies(a -> assertThat(a.labels().get("replica")).isNotNull());
    RuleGroups all = querier.ruleGroups(RulesFilter.ALL, STRICT);
    assertThat(all.groups().get(0).rules()).hasSize(6);
    assertThat(all.activeAlerts()).extracting(a -> a.labels().get("replica")).containsExactlyInAnyOrder("a", "b");
    // Label matchers (match[]) see the rules with their external labels, and are applied by the querier.
    RulesFilter paging = new RulesFilter(null, List.of(), List.of(), List.of(), List.of(List.of(
        dev.orrery.core.labels.Matcher.equal("cluster", "eu"), dev.orrery.core.labels.Matcher.equal("severity",
            "page"))));
    assertThat(querier.ruleGroups(paging, STRICT).groups().get(0).rules()).extracting(RuleStatus::name)
        .containsExactly("AlwaysFiring", "AlwaysFiring");
    // Stacked: a querier over the querier.
    ProxyStore top = stores.querier(List.of(stores.serve(querier)));
    assertThat(top.ruleGroups(RulesFilter.ALL, STRICT).groups().get(0).rules()).hasSize(6);
  }

  @Test
  void aFailingStoreIsAWarningOrAnErrorNamingIt() throws Exception {
    String good = stores.serve(sidecars.get(0));
    String doomed = stores.serve(sidecars.get(1));
    ProxyStore querier = stores.querier(List.of(good, doomed));
    stores.kill(doomed);
    RuleGroups partial = querier.ruleGroups(RulesFilter.ALL, new StoreOptions(null, null, true, null));
    assertThat(partial.groups().get(0).rules()).hasSize(3);
    assertThat(partial.warnings()).singleElement().asString().contains("store " + doomed + " failed: UNAVAILABLE");
    assertThatThrownBy(() -> querier.ruleGroups(RulesFilter.ALL, STRICT)).isInstanceOf(OrreryException.class)
        .hasMessageContaining("store " + doomed + " failed");
  }
}
