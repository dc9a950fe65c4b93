package dev.orrery.examples.cli;

import dev.orrery.downsample.compact.BlockCompactor;
import dev.orrery.downsample.compact.BucketCompactor;
import dev.orrery.downsample.compact.RetentionPolicy;
import dev.orrery.objstore.Bucket;
import dev.orrery.promql.http.ApiServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

  @Option(names = "--http-address", paramLabel = "<host:port>",
      description = "Listen address of /metrics, /-/healthy and /-/ready; none when not given.")
  String httpAddress;

  @Mixin
  WebConfigOption web;

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
        ApiServer ops = httpAddress == null ? null : metrics.startOpsServer(httpAddress, web.read(spec))) {
      BucketCompactor compactor;
      try {
        compactor = BucketCompactor.builder(bucket, dataDir).executor(exec).metrics(metrics.registry)
            .retention(retention).deleteDelay(delete)
            .consistencyDelay(consistency).verticalCompaction(vertical).downsampling(!noDownsampling)
            .deduplication(Set.copyOf(replicaLabels), mergeFunction()).build();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      while (true) {
        BucketCompactor.Report report = compactor.runOnce();
        out.printf("%s: %d blocks compacted, %d downsampled, %d marked for deletion, %d deleted%n", bucket.name(),
            report.compacted(), report.downsampled(), report.markedForDeletion(), report.deleted());
        report.halted().forEach((group, reason) -> out.printf("group %s halted: %s%n", group, reason));
        out.flush();
        if (!waitForever) {
          return report.halted().isEmpty() ? 0 : 1;
        }
        Thread.sleep(interval);
      }
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
