package dev.orrery.storeapi.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sidecar reaches a Prometheus that requires basic auth with the credentials of its {@code --prometheus.url}. */
class PrometheusClientAuthTest {
  @Test
  void userInformationOfTheUrlIsSentAsBasicAuth() throws Exception {
    String expected = "Basic " + Base64.getEncoder().encodeToString("sidecar:pw".getBytes(StandardCharsets.UTF_8));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/status/config", exchange -> {
      boolean ok = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
      String config = "{\"status\":\"success\",\"data\":{\"yaml\":\"global:\\n  external_labels:\\n    cluster: eu\\n\"}}";
      byte[] body = (ok ? config : "Unauthorized\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      int port = server.getAddress().getPort();
      PrometheusClient authenticated = new PrometheusClient(URI.create("http://sidecar:pw@127.0.0.1:" + port),
          HttpClient.newHttpClient(), Duration.ofSeconds(5));
      assertThat(authenticated.externalLabels()).isEqualTo(Map.of("cluster", "eu"));
      assertThat(authenticated.base()).isEqualTo(URI.create("http://127.0.0.1:" + port));
      PrometheusClient anonymous = new PrometheusClient(URI.create("http://127.0.0.1:" + port),
          HttpClient.newHttpClient(), Duration.ofSeconds(5));
      assertThatThrownBy(anonymous::externalLabels).isInstanceOf(IOException.class).hasMessageContaining("HTTP 401");
    } finally {
      server.stop(0);
    }
  }
}
