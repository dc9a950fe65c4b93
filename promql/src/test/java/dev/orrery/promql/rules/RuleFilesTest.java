package dev.orrery.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleFilesTest {
  private static final Duration DEFAULT = Duration.ofMinutes(1);

  @Test
  void readsGroupsOfRecordingAndAlertingRules() {
    List<RuleGroup> groups = RuleFiles.parse("""
        groups:
          - name: availability
            interval: 30s
            limit: 10
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
                labels:
                  team: infra
              - alert: InstanceDown
                expr: up == 0
                for: 5m
                keep_firing_for: 1m
                labels:
                  severity: page
                annotations:
                  summary: "{{ $labels.instance }} is down"
          - name: defaults
            rules:
              - record: cluster:requests:rate5m
                expr: sum by (cluster) (rate(requests_total[5m]))
        """, "rules.yml", DEFAULT);

    assertThat(groups).extracting(RuleGroup::name).containsExactly("availability", "defaults");
    RuleGroup first = groups.get(0);
    assertThat(first.file()).isEqualTo("rules.yml");
    assertThat(first.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(first.limit()).isEqualTo(10);
    RecordingRule record = (RecordingRule) first.rules().get(0);
    assertThat(record.name()).isEqualTo("job:up:sum");
    assertThat(record.labels()).isEqualTo(Map.of("team", "infra"));
    AlertingRule alert = (AlertingRule) first.rules().get(1);
    assertThat(alert.holdDuration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(alert.keepFiringFor()).isEqualTo(Duration.ofMinutes(1));
    assertThat(alert.annotations()).containsEntry("summary", "{{ $labels.instance }} is down");
    assertThat(groups.get(1).interval()).isEqualTo(DEFAULT);
    assertThat(RuleFiles.parse("", "empty.yml", DEFAULT)).isEmpty();
  }

  @Test
  void aFileReadTwiceGivesEqualGroupsSoThatAReloadKeepsThemAsTheyAre() {
    String text = """
        groups:
          - name: g
            interval: 30s
            rules:
              - record: job:errors:ratio
                expr: |
                  sum by (job) (rate(errors_total{code=~"5..", job!~"test.*"}[5m] offset 1m))
                    / on (job) group_left sum by (job) (rate(requests_total[5m] @ 1700000000))
              - record: q
                expr: max_over_time(quantile(0.9, up)[10m:1m]) > bool 0.5 or label_replace(up, "a", "$1", "b", "(.*)")
              - alert: Down
                expr: absent(up{job="api"}) unless -vector(1)
                for: 5m
                labels:
                  severity: page
                annotations:
                  summary: "{{ $labels.job }} is down"
        """;

    List<RuleGroup> first = RuleFiles.parse(text, "rules.yml", DEFAULT);
    List<RuleGroup> second = RuleFiles.parse(text, "rules.yml", DEFAULT);

    assertThat(second).isEqualTo(first);
    assertThat(RuleFiles.parse(text.replace("0.5", "0.6"), "rules.yml", DEFAULT)).isNotEqualTo(first);
  }

  @Test
  void badRuleFilesNameTheGroupTheRuleAndTheProblem() {
    assertError("""
        groups:
          - name: g
            rules:
              - record: a
                alert: b
                expr: up
        """, "f.yml: group \"g\", rule 1, \"a\": only one of 'record' and 'alert' must be set");
    assertError("""
        groups:
          - name: g
            rules:
              - expr: up
        """, "f.yml: group \"g\", rule 1, \"\": one of 'record' or 'alert' must be set");
    assertError("""
        groups:
          - name: g
            rules:
              - record: ok
                expr: sum(up
        """, "f.yml: group \"g\", rule 1, \"ok\": could not parse expression: ");
    assertError("""
        groups:
          - name: g
            rules:
              - record: not-a-metric
                expr: up
        """, "invalid recording rule name: not-a-metric");
    assertError("""
        groups:
          - name: g
            rules:
              - record: r
                expr: up
                annotations:
                  a: b
        """, "\"r\": invalid field 'annotations' in recording rule");
    assertError("""
        groups:
          - name: g
            rules:
              - alert: A
                expr: up
                for: five minutes
        """, "\"A\": for: not a valid duration string: \"five minutes\"");
    assertError("""
        groups:
          - name: g
            rules:
              - alert: A
                expr: up
                labels:
                  bad-name: x
        """, "invalid label name: bad-name");
    assertError("""
        groups:
          - name: g
            rules:
              - alert: A
                expr: up
                annotations:
                  summary: "{{ query \\"up\\" }}"
        """, "\"A\": annotation summary: template: __alert_A:1: function \"query\" not defined");
    assertError("""
        groups:
          - name: g
            rules: []
          - name: g
            rules: []
        """, "f.yml: g: repeated in the same file");
    assertError("""
        groups:
          - name: g
            evaluation_interval: 1m
        """, "f.yml: group: field evaluation_interval not found");
    assertError("groups: [", "f.yml: not YAML: ");
  }

  private static void assertError(String yaml, String message) {
    assertThatThrownBy(() -> RuleFiles.parse(yaml, "f.yml", DEFAULT)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void readsThanosAndPrometheus3GroupFields() {
    List<RuleGroup> groups = RuleFiles.parse("""
        groups:
          - name: offset
            query_offset: 1m
            partial_response_strategy: WARN
            labels:
              team: storage
              severity: low
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
              - alert: Down
                expr: up == 0
                labels:
                  severity: page
          - name: plain
            rules:
              - record: one
                expr: vector(1)
        """, "rules.yml", Duration.ofMinutes(1));
    RuleGroup offset = groups.get(0);
    assertThat(offset.queryOffset()).isEqualTo(Duration.ofMinutes(1));
    assertThat(offset.partialResponse()).isEqualTo(RuleGroup.PartialResponse.WARN);
    assertThat(offset.rules().get(0).labels()).isEqualTo(Map.of("team", "storage", "severity", "low"));
    assertThat(offset.rules().get(1).labels()).as("the rule's own label wins")
        .isEqualTo(Map.of("team", "storage", "severity", "page"));
    assertThat(groups.get(1).queryOffset()).isZero();
    assertThat(groups.get(1).partialResponse()).isEqualTo(RuleGroup.PartialResponse.ABORT);

    assertThatThrownBy(() -> RuleFiles.parse("""
        groups:
          - name: g
            partial_response_strategy: sometimes
            rules: []
        """, "bad.yml", Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.yml: group \"g\": partial_response_strategy: expected warn or abort");
    assertThatThrownBy(() -> RuleFiles.parse("""
        groups:
          - name: g
            labels:
              "bad-name": x
            rules: []
        """, "bad.yml", Duration.ofMinutes(1))).hasMessageContaining("invalid label name: bad-name");
  }
}
