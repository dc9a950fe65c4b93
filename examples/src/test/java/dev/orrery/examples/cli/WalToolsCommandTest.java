package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.NativeHistogramBlocks;
import dev.orrery.core.wal.WalSegments;
import dev.orrery.promql.rules.RuleStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalToolsCommandTest {
  static final long T0 = 1_704_067_200_000L;

  @TempDir
  Path dir;

  @Test
  void inspectSummarisesTheRulersWalAndFailsOnCorruption() throws Exception {
    try (RuleStorage storage = RuleStorage.open(dir)) {
      for (int i = 0; i < 600; i++) {
        storage.appender().add(Labels.of("__name__", "job:up:sum", "job", "api"), T0 + i * 15_000L, i)
            .add(Labels.of("__name__", "job:latency:rate5m", "job", "api"), T0 + i * 15_000L,
                NativeHistogramBlocks.counter(i, i, i))
            .commit();
      }
      storage.flush(T0 + 7_200_000L, Map.of()).orElseThrow();
    }
    Path wal = dir.resolve("wal");

    BlockToolsCommandTest.Result ok = BlockToolsCommandTest.run("tools", "wal", "inspect", wal.toString());

    assertThat(ok.exit()).as(ok.err()).isZero();
    // After the flush the checkpoint holds the two series and the 120 samples of each after the cut-off.
    assertThat(ok.out()).contains("checkpoint:      checkpoint.").contains("series:          2")
        .contains("float samples:   120").contains("histograms:      120")
        .contains("time range:      2024-01-01T02:00:00Z .. 2024-01-01T02:29:45Z").endsWith("OK\n");

    // A later commit lands in a new segment; its first fragment's data gets a flipped bit.
    try (RuleStorage storage = RuleStorage.open(dir)) {
      storage.append(Labels.of("__name__", "job:up:sum", "job", "api"), T0 + 600 * 15_000L, 1);
    }
    int[] segments = WalSegments.list(wal);
    Path last = WalSegments.path(wal, segments[segments.length - 1]);
    byte[] bytes = Files.readAllBytes(last);
    bytes[10] ^= 0x40;
    Files.write(last, bytes);

    BlockToolsCommandTest.Result bad = BlockToolsCommandTest.run("tools", "wal", "inspect", wal.toString());

    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains(last.toString()).contains("CRC32C mismatch").contains("offset 0");
    assertThat(BlockToolsCommandTest.run("tools", "wal", "inspect", dir.resolve("absent").toString()).exit())
        .isEqualTo(1);
  }
}
