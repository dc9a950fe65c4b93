package dev.orrery.storeapi.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.orrery.core.labels.Labels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A sidecar started before its Prometheus waits for it, within the ready timeout. */
class SidecarStartupTest {
  @Test
  void waitsForAPrometheusThatStartsLaterAndGivesUpAfterTheTimeout() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    SidecarStore sidecar = new SidecarStore(new PrometheusClient(URI.create("http://127.0.0.1:" + port),
        HttpClient.newHttpClient(), Duration.ofSeconds(2)), null);
    assertThatThrownBy(() -> sidecar.awaitPrometheus(Duration.ofMillis(300), Duration.ofMillis(100)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Prometheus at http://127.0.0.1:" + port + " did not answer within PT0.3S: ");

    AtomicReference<HttpServer> started = new AtomicReference<>();
    Thread late = Thread.ofPlatform().start(() -> {
      try {
        Thread.sleep(700);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/v1/status/config", exchange -> respond(exchange,
            "{\"status\":\"success\",\"data\":{\"yaml\":\"global:\\n  external_labels:\\n    cluster: eu\\n\"}}"));
        server.createContext("/api/v1/status/tsdb", exchange -> respond(exchange,
            "{\"status\":\"success\",\"data\":{\"headStats\":{\"numSeries\":1,\"minTime\":1000}}}"));
        server.start();
        started.set(server);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      sidecar.awaitPrometheus(Duration.ofSeconds(4), Duration.ofMillis(100));
      assertThat(sidecar.externalLabels()).isEqualTo(Labels.of("cluster", "eu"));
    } finally {
      late.join();
      if (started.get() != null) {
        started.get().stop(0);
      }
    }
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
