package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.labels.Matcher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags of {@code orrery store}, {@code orrery sidecar} and the fan-out side of {@code orrery query}. */
class StoreApiCommandsTest {
  static String run(String... args) {
    CommandLine cl = OrreryCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return code + "\n" + out + err;
  }

  @Test
  void helpListsThanosNamedFlags() {
    assertThat(run("store", "--help")).contains("--objstore.config-file", "--grpc-address", "--min-time",
        "--max-time", "--selector.matchers", "--store.limits.request-series", "--store.grpc.series-max-concurrency",
        "--grpc-server-tls-cert", "--grpc-server-tls-client-ca", "--index-cache-size");
    assertThat(run("sidecar", "--help")).contains("--prometheus.url", "--tsdb.path", "--objstore.config-file",
        "--grpc-address", "--grpc-server-tls-key");
    assertThat(run("query", "--help")).contains("--endpoint", "--store", "--store.sd-files", "--query.replica-label",
        "--grpc-client-tls-secure", "--grpc-client-tls-ca", "--grpc-client-server-name", "--grpc-address",
        "--grpc-compression", "--query.auto-downsampling");
  }

  @Test
  void queryNeedsDataOrEndpoints() {
    assertThat(run("query")).startsWith("2\n").contains("give --data or at least one --endpoint");
  }

  @Test
  void storeParsesTimesAndSelectors() {
    long now = 1_700_000_000_000L;
    assertThat(StoreCommand.parseTime("--min-time", "-2h", now)).isEqualTo(now - 7_200_000L);
    assertThat(StoreCommand.parseTime("--min-time", "1700000000000", now)).isEqualTo(1_700_000_000_000L);
    assertThat(StoreCommand.parseTime("--max-time", "2023-11-14T22:13:20Z", now)).isEqualTo(1_700_000_000_000L);
    assertThatThrownBy(() -> StoreCommand.parseTime("--min-time", "yesterday", now))
        .hasMessageContaining("--min-time");
    assertThat(StoreCommand.parseMatchers(List.of("cluster=\"eu\"", "env=~\"prod|stg\",zone!=\"a,b\"")))
        .containsExactly(Matcher.equal("cluster", "eu"), Matcher.regex("env", "prod|stg"), Matcher.notEqual("zone",
            "a,b"));
    // PromQL's quoting and escapes.
    assertThat(StoreCommand.parseMatchers(List.of("team=\"a\\\"b\"", "owner='x'"))).containsExactly(
        Matcher.equal("team", "a\"b"), Matcher.equal("owner", "x"));
    assertThatThrownBy(() -> StoreCommand.parseMatchers(List.of("cluster:eu")))
        .hasMessageStartingWith("--selector.matchers cluster:eu: ");
  }

  @Test
  void grpcOptionsBuildTlsConfigs() {
    GrpcOptions o = new GrpcOptions();
    assertThat(o.serverTls()).isNull();
    assertThat(o.clientTls()).isNull();
    o.clientSecure = true;
    assertThat(o.clientTls()).isNotNull();
    o.serverClientCa = java.nio.file.Path.of("ca.pem");
    assertThatThrownBy(o::serverTls).hasMessageContaining("--grpc-server-tls-cert");
    assertThat(GrpcOptions.parseAddress("127.0.0.1:10901").getPort()).isEqualTo(10901);
    assertThat(GrpcOptions.parseAddress("[::1]:10901").getAddress().isLoopbackAddress()).isTrue();
    o.compression = "zstd";
    assertThatThrownBy(() -> o.channels(Runnable::run, new SelfMetrics())).hasMessageContaining("--grpc-compression must be none or snappy");
  }
}
