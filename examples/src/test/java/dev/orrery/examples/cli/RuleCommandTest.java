package dev.orrery.examples.cli;

import static dev.orrery.examples.cli.BlockToolsCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.examples.cli.BlockToolsCommandTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code orrery rule --once} over the demo data set: 3 clusters x 2 replicas, 3 hours from 2024-01-01. */
class RuleCommandTest {
  /** 2024-01-01T00:00:00Z. */
  private static final long START = 1704067200000L;

  @TempDir
  Path dir;

  @Test
  void evaluatesRuleFilesOverBlocksOnce() throws Exception {
    Path data = dir.resolve("data");
    Result write = run("tools", "block", "write-demo", data.toString(), "--hours", "3", "--start",
        String.valueOf(START));
    assertThat(write.exit()).as(write.err()).isZero();
    Path rules = Files.writeString(dir.resolve("rules.yml"), """
        groups:
          - name: clusters
            rules:
              - record: cluster:up:count
                expr: count by (cluster) (up)
              - alert: ClusterHasTargets
                expr: cluster:up:count > 0
                labels:
                  severity: info
              - record: broken
                expr: up + on(job) up
        """);

    Result r = run("rule", "--rule-file", rules.toString(), "--data", data.toString(), "--once", "--eval-time",
        String.valueOf(START + 3_600_000), "--label", "ruler=\"r1\"");

    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("clusters/cluster:up:count ok").contains("clusters/ClusterHasTargets ok firing")
        .contains("clusters/broken err: ").contains("many-to-many matching not allowed")
        .contains("alert firing {alertname=\"ClusterHasTargets\", cluster=\"eu-west-1\", severity=\"info\"}");
    assertThat(r.out().lines().filter(l -> l.startsWith("alert firing"))).hasSize(3);
    // Three cluster:up:count series; a first evaluation writes no ALERTS series (the for state is restored first).
    assertThat(r.out()).contains("3 series recorded");
  }

  @Test
  void aBadRuleFileIsAUsageError() throws Exception {
    Path rules = Files.writeString(dir.resolve("bad.yml"), """
        groups:
          - name: g
            rules:
              - record: x
                expr: sum(
        """);

    Result r = run("rule", "--rule-file", rules.toString(), "--data", dir.toString(), "--once");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("group \"g\", rule 1, \"x\": could not parse expression");
  }
}
