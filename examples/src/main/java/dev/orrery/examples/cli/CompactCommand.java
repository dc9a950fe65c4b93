package dev.orrery.examples.cli;

import dev.orrery.downsample.compact.BlockCompactor;
import dev.orrery.downsample.compact.BucketCompactor;
import dev.orrery.downsample.compact.RetentionPolicy;
import dev.orrery.objstore.Bucket;
import dev.orrery.promql.http.ApiServer;
import io.prometheus.metrics.core.metrics.Counter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code orrery compact}: the compactor over a bucket, once or (with {@code --wait}) every {@code --wait-interval}.
 * Flags and defaults are Thanos' compactor's. Exit status 1 when a compaction group was halted.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
    description = "Compact, downsample (5m, 1h) and apply retention to the blocks of a bucket; delete marked blocks.")
public final class CompactCommand implements Callable<Integer> {
  @Mixin
  ObjstoreOptions objstore;

  @Option(names = "--data-dir", defaultValue = "./data",
      description = "Local directory the blocks are downloaded to and written in (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--wait", description = "Keep running, one pass every --wait-interval, until Ctrl-C.")
  boolean waitForever;

  @Option(names = "--wait-interval", defaultValue = "5m",
      description = "Time between passes with --wait (default ${DEFAULT-VALUE}).")
  String waitInterval;

  @Option(names = "--retention.resolution-raw", defaultValue = "0d",
      description = "How long raw blocks are kept; 0d keeps them forever (default ${DEFAULT-VALUE}).")
  String retentionRaw;

  @Option(names = "--retention.resolution-5m", defaultValue = "0d",
      description = "How long 5m blocks are kept; 0d keeps them forever (default ${DEFAULT-VALUE}).")
  String retention5m;

  @Option(names = "--retention.resolution-1h", defaultValue = "0d",
      description = "How long 1h blocks are kept; 0d keeps them forever (default ${DEFAULT-VALUE}).")
  String retention1h;

  @Option(names = "--delete-delay", defaultValue = "48h",
      description = "How long a block marked for deletion stays before it is deleted (default ${DEFAULT-VALUE}).")
  String deleteDelay;

  @Option(names = "--consistency-delay", defaultValue = "30m",
      description = "Minimum age of a block before it is compacted (default ${DEFAULT-VALUE}).")
  String consistencyDelay;

  @Option(names = "--compact.enable-vertical-compaction",
      description = "Merge overlapping blocks of a group (otherwise such a group is halted).")
  boolean vertical;

  @Option(names = "--downsampling.disable", description = "Do not downsample to 5m and 1h.")
  boolean noDownsampling;

  @Option(names = "--deduplication.replica-label", paramLabel = "<label>",
      description = "External label that tells replicas apart (repeatable): replicas compact into one block without "
          + "it, and vertical compaction is on.")
  List<String> replicaLabels = new ArrayList<>();

  @Option(names = "--deduplication.func", paramLabel = "<func>", defaultValue = "",
      description = "How replicas merge: empty for the chained merge (every timestamp once), penalty for the "
          + "querier's penalty deduplication (needs --deduplication.replica-label).")
  String dedupFunc;

  @Mixin
  OpsServerOptions opsServer;


  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    RetentionPolicy retention;
    Duration interval;
    Duration delete;
    Duration consistency;
    try {
      retention = new RetentionPolicy(duration("--retention.resolution-raw", retentionRaw),
          duration("--retention.resolution-5m", retention5m), duration("--retention.resolution-1h", retention1h));
      interval = duration("--wait-interval", waitInterval);
      delete = duration("--delete-delay", deleteDelay);
      consistency = duration("--consistency-delay", consistencyDelay);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    SelfMetrics metrics = new SelfMetrics();
    try (Bucket bucket = metrics.instrument(objstore.open());
        ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
        ApiServer ops = opsServer.start(metrics, spec)) {
      BucketCompactor compactor;
      try {
        compactor = BucketCompactor.builder(bucket, dataDir).executor(exec).metrics(metrics.registry)
            .retention(retention).deleteDelay(delete)
            .consistencyDelay(consistency).verticalCompaction(vertical).downsampling(!noDownsampling)
            .deduplication(Set.copyOf(replicaLabels), mergeFunction()).build();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      if (!waitForever) {
        BucketCompactor.Report report = compactor.runOnce();
        print(out, bucket.name(), report);
        return report.halted().isEmpty() ? 0 : 1;
      }
      Counter retries = Counter.builder().name("thanos_compact_retries_total")
          .help("Total number of retries after retriable compactor error.").register(metrics.registry);
      runWaiting(compactor::runOnce, report -> print(out, bucket.name(), report), interval, retries,
          spec.commandLine().getErr());
      return 0;
    }
  }

  private static void print(PrintWriter out, String bucket, BucketCompactor.Report report) {
    out.printf("%s: %d blocks compacted, %d downsampled, %d marked for deletion, %d deleted%n", bucket,
        report.compacted(), report.downsampled(), report.markedForDeletion(), report.deleted());
    report.halted().forEach((group, reason) -> out.printf("group %s halted: %s%n", group, reason));
    out.flush();
  }

  /**
   * {@code --wait}: a pass every {@code interval} until interrupted. A pass that fails (the bucket unreachable, a
   * block that cannot be read) is reported and tried again at the next interval, counted in {@code retries}, as
   * Thanos' compactor retries: the process keeps running and serving its metrics, so that alerts see the failures.
   */
  static void runWaiting(Callable<BucketCompactor.Report> pass, Consumer<BucketCompactor.Report> print,
      Duration interval, Counter retries, PrintWriter err) throws Exception {
    while (true) {
      try {
        print.accept(pass.call());
      } catch (IOException | RuntimeException e) {
        retries.inc();
        err.println("orrery: compaction pass failed, retrying in " + interval + ": " + e.getMessage());
        err.flush();
      }
      Thread.sleep(interval);
    }
  }

  private BlockCompactor.MergeFunction mergeFunction() {
    return switch (dedupFunc) {
      case "" -> BlockCompactor.MergeFunction.CHAIN;
      case "penalty" -> BlockCompactor.MergeFunction.PENALTY;
      default -> throw new IllegalArgumentException("--deduplication.func: expected empty or penalty, got '"
          + dedupFunc + "'");
    };
  }

  private static Duration duration(String flag, String value) {
    return QueryApiLauncher.parseDuration(flag, value);
  }
}
