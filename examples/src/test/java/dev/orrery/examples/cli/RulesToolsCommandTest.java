package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.testing.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orrery tools rules check} reports rule files as {@code promtool check rules} (2.42) judges them. Files use only
 * what both know: Prometheus 3's {@code keep_firing_for} and {@code query_offset} and Thanos' {@code
 * partial_response_strategy}, which the ruler accepts, are unknown keys to promtool 2.42.
 */
@Tag("interop")
class RulesToolsCommandTest {
  @TempDir
  Path dir;

  static final Map<String, String> FILES = new LinkedHashMap<>();

  static {
    FILES.put("good.yml", """
        groups:
          - name: g
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
              - alert: Down
                expr: up == 0
                for: 5m
                labels: {severity: page}
                annotations: {summary: '{{ $labels.instance }} is down'}
              - alert: Absent
                expr: absent(up)
        """);
    FILES.put("bad-expr.yml", """
        groups:
          - name: g
            rules:
              - record: broken
                expr: sum(
        """);
    FILES.put("bad-record-name.yml", """
        groups:
          - name: g
            rules:
              - record: 'not a metric'
                expr: up
        """);
    FILES.put("bad-template.yml", """
        groups:
          - name: g
            rules:
              - alert: A
                expr: up == 0
                annotations: {summary: '{{ $labels.instance '}
        """);
    FILES.put("duplicate-group.yml", """
        groups:
          - name: g
            rules: [{record: a, expr: up}]
          - name: g
            rules: [{record: b, expr: up}]
        """);
    FILES.put("unknown-key.yml", """
        groups:
          - name: g
            rules:
              - record: a
                expr: up
                severity: page
        """);
    FILES.put("range-vector-record.yml", """
        groups:
          - name: g
            rules:
              - record: ranged
                expr: up[5m]
        """);
    FILES.put("bad-label-name.yml", """
        groups:
          - name: g
            rules:
              - record: a
                expr: up
                labels: {"bad-name": x}
        """);
    FILES.put("bad-for.yml", """
        groups:
          - name: g
            rules:
              - alert: A
                expr: up == 0
                for: soon
        """);
    FILES.put("scalar-alert.yml", """
        groups:
          - name: g
            rules:
              - alert: A
                expr: '1'
        """);
  }

  @Test
  void reportsEachFileAndFailsOnAnyBadOne() throws Exception {
    Path good = Files.writeString(dir.resolve("good.yml"), FILES.get("good.yml"));
    BlockToolsCommandTest.Result ok = BlockToolsCommandTest.run("tools", "rules", "check", good.toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("Checking " + good)
        .contains("SUCCESS: 3 rules found (1 recording, 2 alerting) in 1 groups");
    Path bad = Files.writeString(dir.resolve("bad-expr.yml"), FILES.get("bad-expr.yml"));
    BlockToolsCommandTest.Result failed = BlockToolsCommandTest.run("tools", "rules", "check", good.toString(),
        bad.toString(), dir.resolve("missing.yml").toString());
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.out()).contains("SUCCESS").contains("FAILED:")
        .contains("group \"g\", rule 1, \"broken\"").contains("missing.yml");
  }

  @Test
  void agreesWithPromtoolOnWhichFilesAreValid() throws Exception {
    Path promtool = Environment.promtool();
    for (Map.Entry<String, String> f : FILES.entrySet()) {
      Path file = Files.writeString(dir.resolve(f.getKey()), f.getValue());
      Process p = new ProcessBuilder(promtool.toString(), "check", "rules", file.toString()).redirectErrorStream(true)
          .start();
      String promtoolOut = new String(p.getInputStream().readAllBytes());
      int promtoolExit = p.waitFor();
      BlockToolsCommandTest.Result ours = BlockToolsCommandTest.run("tools", "rules", "check", file.toString());
      assertThat(ours.exit() == 0).as("%s: promtool said %s; we said %s", f.getKey(), promtoolOut, ours.out())
          .isEqualTo(promtoolExit == 0);
    }
  }
}
