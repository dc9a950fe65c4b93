package dev.orrery.examples.cli;

import dev.orrery.core.io.UrlCredentials;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketProviders;
import dev.orrery.objstore.block.Shipper;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.storeapi.sidecar.PrometheusClient;
import dev.orrery.storeapi.sidecar.SidecarStore;
import io.grpc.Server;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code orrery sidecar}: serves a Prometheus through the StoreAPI and ships its blocks, until Ctrl-C. */
@Command(name = "sidecar", mixinStandardHelpOptions = true,
    description = "Serve a running Prometheus through the Thanos StoreAPI (remote read) and upload its blocks.")
public final class SidecarCommand implements Callable<Integer> {
  @Option(names = "--prometheus.url", defaultValue = "http://127.0.0.1:9090",
      description = "Base URL of Prometheus (default ${DEFAULT-VALUE}).")
  URI prometheusUrl;

  @Option(names = "--tsdb.path", description = "Prometheus' data directory (for the time range and the shipper).")
  Path tsdbPath;

  @Option(names = "--objstore.config-file",
      description = "Thanos objstore YAML; when given, new blocks of --tsdb.path are uploaded there.")
  Path objstoreConfig;

  @Option(names = "--shipper.upload-compacted", description = "Also upload compacted blocks (level > 1).")
  boolean uploadCompacted;

  @Option(names = "--prometheus.ready_timeout", defaultValue = "10m",
      description = "How long to wait at start for Prometheus to answer (default ${DEFAULT-VALUE}).")
  String readyTimeout;

  @Option(names = "--refresh-interval", defaultValue = "30s",
      description = "How often external labels, time range and new blocks are checked (default ${DEFAULT-VALUE}).")
  String refresh;

  @Mixin
  OpsServerOptions opsServer;

  @Mixin
  GrpcOptions grpc;


  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Duration interval = QueryApiLauncher.parseDuration("--refresh-interval", refresh);
    ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
        .name("orrery-sidecar").daemon().unstarted(r));
    HttpClient http = HttpClient.newBuilder().executor(exec).connectTimeout(Duration.ofSeconds(10)).build();
    Bucket bucket = null;
    SelfMetrics metrics = new SelfMetrics();
    try (ApiServer ops = opsServer.start(metrics, spec)) {
      SidecarStore sidecar = new SidecarStore(new PrometheusClient(prometheusUrl, http, Duration.ofMinutes(2)),
          tsdbPath);
      sidecar.registerMetrics(metrics.registry);
      sidecar.awaitPrometheus(QueryApiLauncher.parseDuration("--prometheus.ready_timeout", readyTimeout),
          Duration.ofSeconds(2));
      sidecar.schedule(scheduler, interval);
      if (objstoreConfig != null) {
        if (tsdbPath == null) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(),
              "--objstore.config-file needs --tsdb.path (the blocks to upload)");
        }
        bucket = metrics.instrument(BucketProviders.installed().openThanosConfig(objstoreConfig));
        Shipper shipper = Shipper.builder(tsdbPath, bucket).externalLabels(labelsOf(sidecar)).source("sidecar")
            .uploadCompacted(uploadCompacted).metrics(metrics.registry).build();
        shipper.schedule(scheduler, interval);
      }
      Server server = grpc.startServer(sidecar, exec, metrics);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("Sidecar for %s with external labels %s serving gRPC at %s%s%n",
          UrlCredentials.redacted(prometheusUrl),
          sidecar.externalLabels(), grpc.grpcAddress.replaceFirst(":\\d+$", ":" + server.getPort()),
          ops == null ? "" : "; metrics at " + ops.uri() + "metrics");
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "orrery-shutdown"));
      server.awaitTermination();
    } finally {
      scheduler.shutdownNow();
      exec.shutdownNow();
      if (bucket != null) {
        bucket.close();
      }
    }
    return 0;
  }

  private static java.util.Map<String, String> labelsOf(SidecarStore sidecar) {
    java.util.Map<String, String> m = new java.util.TreeMap<>();
    sidecar.externalLabels().forEach(m::put);
    return m;
  }
}
