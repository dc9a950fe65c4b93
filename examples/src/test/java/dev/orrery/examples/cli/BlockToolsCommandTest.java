package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockMeta;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BlockToolsCommandTest {
  @TempDir
  Path dir;

  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    CommandLine cl = OrreryCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void writeDemoInspectVerifyAndDump() throws Exception {
    // 2024-01-01T00:00:00Z, 3 hours: two 2h windows for each of the 6 (cluster, replica) pairs.
    Result write = run("tools", "block", "write-demo", dir.toString(), "--hours", "3", "--start", "1704067200000");
    assertThat(write.exit()).as(write.err()).isZero();
    List<Path> blocks = BlockDirectory.blockDirs(dir);
    assertThat(blocks).hasSize(12);

    Result inspect = run("tools", "block", "inspect", dir.toString());
    assertThat(inspect.exit()).isZero();
    List<String> lines = inspect.out().lines().toList();
    assertThat(lines.get(0)).startsWith("ULID").contains("SERIES").contains("SAMPLES").contains("CHUNKS")
        .contains("SIZE");
    assertThat(lines).hasSize(13);
    assertThat(inspect.out()).contains("cluster=eu-west-1,environment=production,prometheus_replica=prometheus-0")
        .contains("2024-01-01 00:00:0");

    long total = 0;
    for (Path b : blocks) {
      Result verify = run("tools", "block", "verify", b.toString());
      assertThat(verify.exit()).as(verify.err()).isZero();
      assertThat(verify.out()).contains("OK");
      total += BlockMeta.read(b).stats().numSamples();
    }
    assertThat(total).isGreaterThan(100_000);

    Path first = blocks.get(0);
    Result dump = run("tools", "block", "dump", first.toString());
    assertThat(dump.exit()).isZero();
    assertThat(dump.out().lines().count()).isEqualTo(BlockMeta.read(first).stats().numSamples());
    assertThat(dump.out().lines().findFirst().orElseThrow()).matches("\\{__name__=\".*\"\\} \\S+ \\d{13}");
    // Native histograms as Prometheus prints them: count, sum, then each populated bucket with its bounds.
    assertThat(dump.out().lines().filter(l -> l.startsWith("{__name__=\"http_request_duration_native_seconds\"")))
        .isNotEmpty().allSatisfy(l -> assertThat(l)
            .matches(".*\\} \\{count:\\d+, sum:[0-9.e+-]+(, \\(\\S+,\\S+\\]:\\d+)+\\} \\d{13}"));
  }

  @Test
  void downsampleWritesVerifiable5mAnd1hBlocks() throws Exception {
    assertThat(run("tools", "block", "write-demo", dir.toString(), "--hours", "3", "--start", "1704067200000")
        .exit()).isZero();
    Path raw = BlockDirectory.blockDirs(dir).get(0);
    Path out = dir.resolve("downsampled");

    Result five = run("tools", "block", "downsample", raw.toString(), "--out", out.toString());

    assertThat(five.exit()).as(five.err()).isZero();
    assertThat(five.out()).contains(" at 5m (");
    Path fiveDir = BlockDirectory.blockDirs(out).get(0);
    assertThat(run("tools", "block", "verify", fiveDir.toString()).exit()).isZero();
    assertThat(run("tools", "block", "inspect", out.toString()).out()).contains(" 5m ");

    Result hour = run("tools", "block", "downsample", fiveDir.toString());

    assertThat(hour.exit()).as(hour.err()).isZero();
    assertThat(hour.out()).contains(" at 1h (");
    Path hourDir = BlockDirectory.blockDirs(out).stream().filter(p -> !p.equals(fiveDir)).findFirst().orElseThrow();
    assertThat(run("tools", "block", "verify", hourDir.toString()).exit()).isZero();
    Result last = run("tools", "block", "downsample", hourDir.toString());
    assertThat(last.exit()).isNotZero();
    assertThat(last.err()).contains("1h is the last level");
  }

  @Test
  void verifyFailsWithExitOneOnCorruption() throws Exception {
    assertThat(run("tools", "block", "write-demo", dir.toString(), "--hours", "1", "--start", "1704067200000")
        .exit()).isZero();
    Path block = BlockDirectory.blockDirs(dir).get(0);
    Path seg = block.resolve("chunks/000001");
    byte[] bytes = Files.readAllBytes(seg);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(seg, bytes);
    Result verify = run("tools", "block", "verify", block.toString());
    assertThat(verify.exit()).isEqualTo(1);
    assertThat(verify.err()).contains("000001");
  }

  @Test
  void missingBlockGivesOneClearLine() {
    Result r = run("tools", "block", "verify", dir.resolve("nope").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("nope");
  }
}
