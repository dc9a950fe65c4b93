package dev.orrery.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.labels.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleGroupsMergeTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  static AlertingRuleStatus alert(String name, String state, Labels labels, Instant last) {
    return new AlertingRuleStatus(state, name, "up == 0", Duration.ofMinutes(5), Duration.ZERO, labels, Map.of(),
        List.of(new AlertStatus(labels.toBuilder().set("alertname", name).build(), Map.of(), state, T, null,
            "0e+00")), "ok", "", Duration.ofMillis(2), last);
  }

  static RecordingRuleStatus record(String name, Labels labels, Instant last) {
    return new RecordingRuleStatus(name, "sum(up)", labels, "ok", "", Duration.ofMillis(1), last);
  }

  static RuleGroupStatus group(String file, String name, RuleStatus... rules) {
    return new RuleGroupStatus(name, file, List.of(rules), Duration.ofMinutes(1), 0, Duration.ZERO, "ABORT",
        Duration.ofMillis(3), T);
  }

  @Test
  void replicasOfARuleAreOneTheMostAdvancedOrLatestKept() {
    Labels a = Labels.of("cluster", "eu", "replica", "a");
    Labels b = Labels.of("cluster", "eu", "replica", "b");
    // Another rule whose labels sort between the replicas' when the replica label is kept.
    Labels between = Labels.of("cluster", "eu", "replica", "a", "severity", "page");
    List<RuleGroupStatus> merged = RuleGroupsMerge.merge(List.of(
        group("r.yml", "g", record("job:up:sum", a, T), alert("Down", "pending", a, T.plusSeconds(30)),
            alert("Down", "pending", between, T)),
        group("r.yml", "g", record("job:up:sum", b, T.plusSeconds(10)), alert("Down", "firing", b, T))),
        List.of("replica"));
    assertThat(merged).hasSize(1);
    List<RuleStatus> rules = merged.get(0).rules();
    Labels eu = Labels.of("cluster", "eu");
    // Alerting rules first; the firing replica wins over the later-evaluated pending one.
    assertThat(rules).extracting(RuleStatus::name, RuleStatus::labels).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Down", eu),
        org.assertj.core.groups.Tuple.tuple("Down", Labels.of("cluster", "eu", "severity", "page")),
        org.assertj.core.groups.Tuple.tuple("job:up:sum", eu));
    assertThat(((AlertingRuleStatus) rules.get(0)).state()).isEqualTo("firing");
    // The recording rule evaluated last wins.
    assertThat(rules.get(2).lastEvaluation()).isEqualTo(T.plusSeconds(10));
  }

  @Test
  void withoutReplicaLabelsRulesStayApartAndGroupsAreSortedByFileAndName() {
    Labels a = Labels.of("replica", "a");
    Labels b = Labels.of("replica", "b");
    List<RuleGroupStatus> merged = RuleGroupsMerge.merge(List.of(
        group("z.yml", "g", record("r", a, T)), group("a.yml", "h", record("r", a, T)),
        group("z.yml", "g", record("r", b, T)), group("a.yml", "h", record("r", a, T))), List.of());
    assertThat(merged).extracting(RuleGroupStatus::file, RuleGroupStatus::name)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a.yml", "h"),
            org.assertj.core.groups.Tuple.tuple("z.yml", "g"));
    // Identical rules are one; rules of different replicas stay two.
    assertThat(merged.get(0).rules()).hasSize(1);
    assertThat(merged.get(1).rules()).extracting(RuleStatus::labels).containsExactly(a, b);
  }

  @Test
  void externalLabelsGoOnRulesAndAlertsAndWin() {
    RuleGroups groups = new RuleGroups(List.of(group("r.yml", "g",
        alert("Down", "firing", Labels.of("cluster", "local", "severity", "page"), T))), List.of("w"));
    RuleGroups labelled = groups.withExternalLabels(Labels.of("cluster", "eu"));
    AlertingRuleStatus rule = (AlertingRuleStatus) labelled.groups().get(0).rules().get(0);
    assertThat(rule.labels()).isEqualTo(Labels.of("cluster", "eu", "severity", "page"));
    assertThat(rule.alerts().get(0).labels())
        .isEqualTo(Labels.of("alertname", "Down", "cluster", "eu", "severity", "page"));
    assertThat(labelled.warnings()).containsExactly("w");
    assertThat(labelled.activeAlerts()).hasSize(1);
  }

  @Test
  void filterKeepsGroupsWhoseRulesAllFailTheRuleFilters() {
    List<RuleGroupStatus> groups = List.of(group("r.yml", "g", record("r", Labels.of(), T),
        alert("Down", "inactive", Labels.of(), T)), group("s.yml", "h", record("q", Labels.of(), T)));
    assertThat(new RulesFilter("alert", List.of(), List.of(), List.of()).apply(groups))
        .extracting(g -> g.rules().size()).containsExactly(1, 0);
    assertThat(new RulesFilter(null, List.of("q"), List.of(), List.of("s.yml")).apply(groups))
        .singleElement().satisfies(g -> assertThat(g.rules()).extracting(RuleStatus::name).containsExactly("q"));
    assertThat(new RuleGroups(groups, List.of()).activeAlerts()).isEmpty();
  }

  @Test
  void labelMatcherSetsAreOredAndAMissingLabelIsEmpty() {
    List<RuleGroupStatus> groups = List.of(group("r.yml", "g",
        record("page", Labels.of("severity", "page"), T), record("ticket", Labels.of("severity", "ticket"), T),
        record("none", Labels.of(), T)));
    RulesFilter pageOrTicket = new RulesFilter(null, List.of(), List.of(), List.of(), List.of(
        List.of(dev.orrery.core.labels.Matcher.equal("severity", "page")),
        List.of(dev.orrery.core.labels.Matcher.equal("severity", "ticket"))));
    assertThat(pageOrTicket.apply(groups).get(0).rules()).extracting(RuleStatus::name)
        .containsExactly("page", "ticket");
    RulesFilter unlabelled = new RulesFilter(null, List.of(), List.of(), List.of(), List.of(
        List.of(dev.orrery.core.labels.Matcher.equal("severity", ""))));
    assertThat(unlabelled.apply(groups).get(0).rules()).extracting(RuleStatus::name).containsExactly("none");
    assertThat(pageOrTicket.withoutMatchers()).isEqualTo(RulesFilter.ALL);
  }
}
