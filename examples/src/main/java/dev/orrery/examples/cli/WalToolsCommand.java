package dev.orrery.examples.cli;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.wal.WalCheckpoint;
import dev.orrery.core.wal.WalRecords;
import dev.orrery.core.wal.WalSegments;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code orrery tools wal ...}: read write-ahead logs (the ruler's, or a Prometheus data directory's). */
@Command(name = "wal", description = "Inspect and check write-ahead logs in Prometheus' format.",
    mixinStandardHelpOptions = true, subcommands = WalToolsCommand.Inspect.class)
public final class WalToolsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Replays a WAL directory as Prometheus would and summarises it. */
  @Command(name = "inspect", description = "Replay a WAL directory (newest checkpoint, then the segments after it): "
      + "segments, records by type, series, samples and time range; every CRC and record is checked, exit 1 on "
      + "corruption.")
  static final class Inspect implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<wal-dir>", description = "The WAL directory, e.g. data/wal.")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      if (!Files.isDirectory(dir)) {
        spec.commandLine().getErr().println("orrery: not a directory: " + dir);
        return 1;
      }
      int[] segments = WalSegments.list(dir);
      Optional<WalCheckpoint.Checkpoint> checkpoint = WalCheckpoint.last(dir);
      Summary summary = new Summary();
      WalCheckpoint.Replay replay = WalCheckpoint.replay(dir, summary);
      out.printf("segments:        %s%n", segments.length == 0 ? "none"
          : WalSegments.name(segments[0]) + " .. " + WalSegments.name(segments[segments.length - 1]) + " ("
              + segments.length + ")");
      out.printf("checkpoint:      %s%n", checkpoint.map(c -> c.dir().getFileName().toString()).orElse("none"));
      out.printf("records:         %d%n", replay.records());
      out.printf("series:          %d%n", summary.series);
      out.printf("float samples:   %d%n", summary.floats);
      out.printf("histograms:      %d%n", summary.histograms);
      summary.others.forEach((type, n) -> out.printf("other records:   %d of type %d%n", n, type));
      if (summary.floats + summary.histograms > 0) {
        out.printf("time range:      %s .. %s%n", Instant.ofEpochMilli(summary.minT),
            Instant.ofEpochMilli(summary.maxT));
      }
      if (replay.corruption() != null) {
        out.flush();
        spec.commandLine().getErr().println("orrery: " + replay.corruption().getMessage());
        return 1;
      }
      out.println("OK");
      return 0;
    }
  }

  /** Counts what a replay delivers. */
  private static final class Summary implements WalRecords.Visitor {
    long series;
    long floats;
    long histograms;
    long minT = Long.MAX_VALUE;
    long maxT = Long.MIN_VALUE;
    final Map<Integer, Long> others = new TreeMap<>();

    @Override
    public void series(long ref, Labels labels) {
      series++;
    }

    @Override
    public void sample(long ref, long t, double value) {
      floats++;
      time(t);
    }

    @Override
    public void floatHistogramSample(long ref, long t, FloatHistogram histogram) {
      histograms++;
      time(t);
    }

    @Override
    public void otherRecord(int type) {
      others.merge(type, 1L, Long::sum);
    }

    private void time(long t) {
      minT = Math.min(minT, t);
      maxT = Math.max(maxT, t);
    }
  }
}
