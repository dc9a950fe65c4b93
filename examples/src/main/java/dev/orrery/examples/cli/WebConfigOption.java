package dev.orrery.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --http.config}, the web configuration of a command's HTTP server, as in Thanos. A picocli mixin. */
final class WebConfigOption {
  @Option(names = "--http.config", paramLabel = "<file>",
      description = "Web configuration file (Prometheus' format) with TLS (tls_server_config) and basic auth "
          + "(basic_auth_users) for the HTTP endpoints.")
  Path file;

  /** The configuration: {@link WebConfig#NONE} without the flag; a usage error when the file is not valid. */
  WebConfig read(CommandSpec spec) {
    if (file == null) {
      return WebConfig.NONE;
    }
    try {
      return WebConfig.read(file);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
