package dev.orrery.examples.cli;

import dev.orrery.core.labels.Matcher;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketProviders;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.storeapi.gateway.BucketStore;
import dev.orrery.storeapi.gateway.IndexCache;
import dev.orrery.storeapi.gateway.StoreLimits;
import io.grpc.Server;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code orrery store}: a store gateway serving the StoreAPI over the blocks of a bucket until Ctrl-C. */
@Command(name = "store", mixinStandardHelpOptions = true,
    description = "Serve the Thanos StoreAPI (gRPC) over the blocks in an object storage bucket (store gateway).")
public final class StoreCommand implements Callable<Integer> {

  @Option(names = "--objstore.config-file", required = true,
      description = "Thanos objstore YAML (type: FILESYSTEM|S3|GCS, config: ...).")
  Path objstoreConfig;

  @Option(names = "--data-dir", defaultValue = "./data",
      description = "Local directory for index-headers and cached metas (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--sync-block-duration", defaultValue = "3m",
      description = "How often the bucket's blocks are synced (default ${DEFAULT-VALUE}).")
  String syncInterval;

  @Option(names = "--min-time", description = "Serve only blocks after this time: RFC 3339, Unix ms, or a duration "
      + "relative to now such as -2w (time-based sharding).")
  String minTime;

  @Option(names = "--max-time", description = "Serve only blocks before this time (same forms as --min-time).")
  String maxTime;

  @Option(names = "--selector.matchers", paramLabel = "<matchers>",
      description = "Serve only blocks whose external labels match, e.g. 'cluster=\"eu\",environment=~\"prod|stg\"' "
          + "(label-based sharding; PromQL matcher syntax; repeatable).")
  List<String> selector = new ArrayList<>();

  @Option(names = "--index-cache-size", defaultValue = "256",
      description = "MiB for each of the postings and series caches (default ${DEFAULT-VALUE}).")
  long cacheMiB;

  @Option(names = "--store.limits.request-series", defaultValue = "0",
      description = "Series one request may return; 0 = unlimited.")
  long maxSeries;

  @Option(names = "--store.limits.request-chunks", defaultValue = "0",
      description = "Chunks one request may return; 0 = unlimited.")
  long maxChunks;

  @Option(names = "--store.limits.request-bytes", defaultValue = "0",
      description = "Bytes of postings, series and chunks one request may touch; 0 = unlimited.")
  long maxBytes;

  @Option(names = "--store.grpc.series-max-concurrency", defaultValue = "20",
      description = "Series requests served at once (default ${DEFAULT-VALUE}).")
  int maxConcurrency;

  @Mixin
  OpsServerOptions opsServer;

  @Mixin
  GrpcOptions grpc;


  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    BucketStore.Builder b;
    SelfMetrics metrics = new SelfMetrics();
    Bucket bucket = metrics.instrument(BucketProviders.installed().openThanosConfig(objstoreConfig));
    ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
        .name("orrery-store-sync").daemon().unstarted(r));
    try {
      b = BucketStore.builder(bucket, dataDir).executor(exec).metrics(metrics.registry)
          .indexCache(new IndexCache(cacheMiB << 20, cacheMiB << 20))
          .limits(new StoreLimits(maxSeries, maxChunks, maxBytes, maxConcurrency));
      if (minTime != null || maxTime != null) {
        long now = System.currentTimeMillis();
        b.timeRange(minTime == null ? Long.MIN_VALUE : parseTime("--min-time", minTime, now),
            maxTime == null ? Long.MAX_VALUE : parseTime("--max-time", maxTime, now));
      }
      if (!selector.isEmpty()) {
        b.labelSelector(parseMatchers(selector));
      }
    } catch (IllegalArgumentException e) {
      bucket.close();
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Duration interval = QueryApiLauncher.parseDuration("--sync-block-duration", syncInterval);
    try (BucketStore store = b.build(); ApiServer ops = opsServer.start(metrics, spec)) {
      BucketStore.SyncResult first = store.sync();
      store.schedule(scheduler, interval);
      Server server = grpc.startServer(store, exec, metrics);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("Store gateway serving %d blocks of %s over gRPC at %s%s%n", first.added().size(), bucket.name(),
          grpc.grpcAddress.replaceFirst(":\\d+$", ":" + server.getPort()),
          ops == null ? "" : "; metrics at " + ops.uri() + "metrics");
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "orrery-shutdown"));
      server.awaitTermination();
    } finally {
      scheduler.shutdownNow();
      exec.shutdownNow();
      bucket.close();
    }
    return 0;
  }

  static long parseTime(String flag, String value, long nowMillis) {
    String v = value.strip();
    if (v.matches("-?\\d+")) {
      return Long.parseLong(v);
    }
    if (v.startsWith("-") || v.startsWith("+")) {
      Duration d = QueryApiLauncher.parseDuration(flag, v.substring(1));
      return v.startsWith("-") ? nowMillis - d.toMillis() : nowMillis + d.toMillis();
    }
    try {
      return Instant.parse(v).toEpochMilli();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(flag + ": not RFC 3339, Unix ms or a relative duration: " + value, e);
    }
  }

  static List<Matcher> parseMatchers(List<String> specs) {
    return LabelSelectors.parse("--selector.matchers", specs);
  }

}
