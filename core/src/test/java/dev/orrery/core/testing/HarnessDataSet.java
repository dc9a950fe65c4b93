package dev.orrery.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The harness' generated multi-cluster data set as an OpenMetrics file and as real blocks made by
 * {@code promtool tsdb create-blocks-from openmetrics}. Built once per project checkout under
 * {@code target/harness-data} and reused by later tests.
 */
public final class HarnessDataSet {
  /** Series scale 2 (3,360 series: counters, gauges, classic histograms), 2 hours at 15 s, across two 2h blocks. */
  public static final HarnessDataSet SMALL = new HarnessDataSet(2, 2, 1704067200L + 3600);

  private final int scale;
  private final int hours;
  private final long startSeconds;

  private HarnessDataSet(int scale, int hours, long startSeconds) {
    this.scale = scale;
    this.hours = hours;
    this.startSeconds = startSeconds;
  }

  private Path dir() {
    return Environment.projectRoot().resolve("core/target/harness-data/scale" + scale + "-" + hours + "h");
  }

  /** The OpenMetrics text, generating it on first use. */
  public synchronized Path openMetrics() throws IOException, InterruptedException {
    Path om = dir().resolve("dataset.om");
    if (!Files.exists(dir().resolve("om.done"))) {
      Files.createDirectories(dir());
      Path generator = Environment.sharedDir().resolve("harness/gen_openmetrics.py");
      Environment.run(300, dir(), Environment.python3().toString(), generator.toString(), "--series-scale",
          String.valueOf(scale), "--hours", String.valueOf(hours), "--start", String.valueOf(startSeconds),
          "--seed", "42", "-q", "-o", om.toString());
      Files.writeString(dir().resolve("om.done"), "ok");
    }
    return om;
  }

  /** A directory holding the promtool-made blocks, creating them on first use. */
  public synchronized Path promtoolBlocks() throws IOException, InterruptedException {
    Path blocks = dir().resolve("blocks");
    if (!Files.exists(dir().resolve("blocks.done"))) {
      Path om = openMetrics();
      Environment.run(600, dir(), Environment.promtool().toString(), "tsdb", "create-blocks-from", "openmetrics",
          "-q", om.toString(), blocks.toString());
      Files.writeString(dir().resolve("blocks.done"), "ok");
    }
    return blocks;
  }
}
