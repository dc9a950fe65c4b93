package dev.orrery.examples.cli;

import dev.orrery.core.block.Block;
import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockVerifier;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.FloatHistogramText;
import dev.orrery.core.io.GoFloat;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.downsample.BlockDownsampler;
import dev.orrery.examples.demo.DemoDataSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code orrery tools block ...}: write, inspect, verify, dump and downsample TSDB blocks. */
@Command(name = "block", description = "Write, inspect, verify, dump and downsample TSDB blocks.",
    mixinStandardHelpOptions = true,
    subcommands = {BlockToolsCommand.WriteDemo.class, BlockToolsCommand.Inspect.class, BlockToolsCommand.Verify.class,
        BlockToolsCommand.Dump.class, BlockToolsCommand.Downsample.class})
public final class BlockToolsCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Writes the demo data set. */
  @Command(name = "write-demo", description = "Write the demo multi-cluster data set as blocks into <dir>.")
  static final class WriteDemo implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "Directory to write blocks into.")
    Path dir;

    @Option(names = "--hours", defaultValue = "4", description = "Hours of data (default ${DEFAULT-VALUE}).")
    long hours;

    @Option(names = "--start", description = "Unix milliseconds of the first scrape (default: ending now).")
    Long startMillis;

    @Override
    public Integer call() throws IOException {
      Files.createDirectories(dir);
      DemoDataSet data = startMillis == null ? DemoDataSet.endingNow(hours) : new DemoDataSet(startMillis, hours);
      data.writeTo(dir);
      return 0;
    }
  }

  /** Prints a table of the blocks in a directory. */
  @Command(name = "inspect", description = "One row per block: ULID, time range, series, samples, chunks, size.")
  static final class Inspect implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<dir>", description = "Directory holding block directories.")
    Path dir;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      List<Path> blocks = BlockDirectory.blockDirs(dir);
      BlockTable.print(spec.commandLine().getOut(), blocks);
      return 0;
    }
  }

  /** Runs every check on one block. */
  @Command(name = "verify", description = "Check every CRC, the index and every chunk of a block; exit 1 on a problem.")
  static final class Verify implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<block-dir>", description = "The block directory.")
    Path blockDir;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      BlockVerifier.Report report = BlockVerifier.verify(blockDir);
      PrintWriter out = spec.commandLine().getOut();
      if (report.ok()) {
        out.printf("%s: OK (%d series, %d chunks, %d samples)%n", blockDir, report.series(), report.chunks(),
            report.samples());
        return 0;
      }
      PrintWriter err = spec.commandLine().getErr();
      for (String problem : report.problems()) {
        err.println(blockDir + ": " + problem);
      }
      return 1;
    }
  }

  /** Writes the next resolution's copy of a block. */
  @Command(name = "downsample", description = "Write the 5m copy of a raw block, or the 1h copy of a 5m block, as Thanos'"
      + " compactor does (float and native histogram series).")
  static final class Downsample implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<block-dir>", description = "The block directory.")
    Path blockDir;

    @Option(names = "--out", description = "Directory to write the new block into (default: beside the source).")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Path parent = out != null ? out : blockDir.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      BlockMeta meta = BlockDownsampler.downsample(blockDir, parent);
      spec.commandLine().getOut().printf("%s: wrote %s at %s (%d series, %d chunks)%n", blockDir,
          parent.resolve(meta.ulid().toString()), BlockTable.resolution(meta.thanos().downsampleResolutionMillis()),
          meta.stats().numSeries(), meta.stats().numChunks());
      return 0;
    }
  }

  /** Prints every sample of a block. */
  @Command(name = "dump", description = "Print every sample of a block as text, like promtool tsdb dump.")
  static final class Dump implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<block-dir>", description = "The block directory.")
    Path blockDir;

    @Option(names = "--min-time", defaultValue = "-9223372036854775808", description = "Minimum timestamp (ms).")
    long minTime;

    @Option(names = "--max-time", defaultValue = "9223372036854775807", description = "Maximum timestamp (ms).")
    long maxTime;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      try (Block block = Block.open(blockDir);
          Querier q = block.querier(minTime, maxTime)) {
        SeriesSet set = q.select(true, null, Matcher.regex("__name__", ".+"));
        SampleIterator it = null;
        while (set.next()) {
          Series s = set.at();
          String labels = s.labels().toString();
          it = s.iterator(it);
          for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
            if (vt == ValueType.FLOAT) {
              out.append(labels).append(' ').append(GoFloat.formatG(it.atV())).append(' ')
                  .append(Long.toString(it.atT())).append('\n');
            } else {
              out.append(labels).append(' ').append(FloatHistogramText.of(it.atFloatHistogram())).append(' ')
                  .append(Long.toString(it.atT())).append('\n');
            }
          }
        }
      }
      out.flush();
      return 0;
    }
  }
}
