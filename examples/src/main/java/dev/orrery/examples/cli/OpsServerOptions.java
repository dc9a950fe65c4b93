package dev.orrery.examples.cli;

import dev.orrery.promql.http.ApiServer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --http-address} and {@code --http.config} of the components without an HTTP API (store, sidecar, compact):
 * where their {@code /metrics} and health routes are served, and with which TLS and authentication. A picocli mixin.
 */
final class OpsServerOptions {
  @Option(names = "--http-address", paramLabel = "<host:port>",
      description = "Listen address of /metrics, /-/healthy and /-/ready; none when not given.")
  String httpAddress;

  @Mixin
  WebConfigOption web;

  /** Starts the server of {@code metrics}, or returns {@code null} without {@code --http-address}. */
  ApiServer start(SelfMetrics metrics, CommandSpec spec) throws Exception {
    return httpAddress == null ? null : metrics.startOpsServer(httpAddress, web.read(spec));
  }
}
