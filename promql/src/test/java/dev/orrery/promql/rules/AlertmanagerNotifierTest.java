package dev.orrery.promql.rules;

import static dev.orrery.core.testing.MetricsText.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.orrery.core.testing.MetricsText;
import dev.orrery.promql.rules.AlertmanagerNotifier.Alert;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The notifier against fake Alertmanagers: JDK HTTP servers on 127.0.0.1. */
class AlertmanagerNotifierTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant STARTS = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant ENDS = Instant.parse("2024-01-01T00:05:00.123456Z");

  private final List<FakeAlertmanager> servers = new ArrayList<>();

  @AfterEach
  void stopServers() {
    for (FakeAlertmanager server : servers) {
      server.stop();
    }
  }

  /** A received POST. */
  record Post(String method, String path, String contentType, String authorization, JsonNode body) {}

  /** An Alertmanager that records each POST and answers with a fixed status, optionally after a gate opens. */
  private final class FakeAlertmanager {
    final HttpServer server;
    final BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
    final CountDownLatch entered = new CountDownLatch(1);
    volatile CountDownLatch gate = new CountDownLatch(0);

    FakeAlertmanager(int status) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> handle(exchange, status));
      server.setExecutor(Executors.newCachedThreadPool());
      server.start();
      servers.add(this);
    }

    private void handle(HttpExchange exchange, int status) throws IOException {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        posts.add(new Post(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            exchange.getRequestHeaders().getFirst("Authorization"), JSON.readTree(body)));
        entered.countDown();
        gate.await(10, TimeUnit.SECONDS);
        byte[] answer = status == 200 ? new byte[0] : "boom".getBytes();
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    Post take() throws InterruptedException {
      Post post = posts.poll(10, TimeUnit.SECONDS);
      assertThat(post).as("a POST within 10s").isNotNull();
      return post;
    }

    void stop() {
      gate.countDown();
      server.stop(0);
      ((ExecutorService) server.getExecutor()).shutdownNow();
    }
  }

  private static Alert alert(String name) {
    return new Alert(Map.of("alertname", name, "severity", "page"), Map.of("summary", name + " is down"), STARTS, ENDS,
        "http://prometheus:9090/graph?g0.expr=up+%3D%3D+0");
  }

  private static List<Alert> alerts(int n) {
    List<Alert> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(alert("A" + i));
    }
    return list;
  }

  private static String sender(String counter, URI alertmanager) {
    return "thanos_alert_sender_" + (counter.equals("sent") ? "alerts_sent" : counter) + "_total{alertmanager=\""
        + alertmanager.getAuthority() + "\"}";
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("condition within 10s").isNegative();
      Thread.sleep(5);
    }
  }

  private static Map<String, String> map(JsonNode object) {
    return JSON.convertValue(object, new TypeReference<Map<String, String>>() {});
  }

  private static List<String> alertNames(JsonNode body) {
    List<String> names = new ArrayList<>();
    body.forEach(a -> names.add(a.get("labels").get("alertname").asText()));
    return names;
  }

  @Test
  void postsAlertsAsJsonToTheV2Api() throws Exception {
    FakeAlertmanager am = new FakeAlertmanager(200);
    try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(List.of(am.url())).build()) {
      notifier.send(List.of(alert("InstanceDown")));
      Post post = am.take();
      assertThat(post.method()).isEqualTo("POST");
      assertThat(post.path()).isEqualTo("/api/v2/alerts");
      assertThat(post.contentType()).isEqualTo("application/json");
      assertThat(post.body().isArray()).isTrue();
      assertThat(post.body()).hasSize(1);
      JsonNode a = post.body().get(0);
      assertThat(map(a.get("labels")))
          .isEqualTo(Map.of("alertname", "InstanceDown", "severity", "page"));
      assertThat(map(a.get("annotations"))).isEqualTo(Map.of("summary", "InstanceDown is down"));
      assertThat(a.get("startsAt").asText()).isEqualTo("2024-01-01T00:00:00.000Z");
      assertThat(a.get("endsAt").asText()).isEqualTo("2024-01-01T00:05:00.123Z");
      assertThat(a.get("generatorURL").asText()).isEqualTo("http://prometheus:9090/graph?g0.expr=up+%3D%3D+0");
      await(() -> notifier.sent() == 1);
      assertThat(notifier.errors()).isZero();
      assertThat(notifier.dropped()).isZero();
      assertThat(notifier.queueLength()).isZero();
    }
  }

  @Test
  void keepsThePathPrefixOfTheUrl() throws Exception {
    FakeAlertmanager am = new FakeAlertmanager(200);
    URI prefixed = URI.create(am.url() + "/alertmanager/");
    try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(List.of(prefixed)).build()) {
      notifier.send(List.of(alert("A")));
      assertThat(am.take().path()).isEqualTo("/alertmanager/api/v2/alerts");
    }
  }

  @Test
  void userAndPasswordOfTheUrlAreSentAsBasicAuthAndKeptOutOfMetricsAndMessages() throws Exception {
    FakeAlertmanager am = new FakeAlertmanager(200);
    URI withUser = URI.create("http://ruler:s%3Acret@127.0.0.1:" + am.url().getPort() + "/am");
    PrometheusRegistry registry = new PrometheusRegistry();
    try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(List.of(withUser, am.url())).metrics(registry)
        .build()) {
      notifier.send(List.of(alert("A")));
      Post first = am.take();
      Post second = am.take();
      Post authenticated = first.path().startsWith("/am/") ? first : second;
      Post anonymous = authenticated == first ? second : first;
      assertThat(authenticated.path()).isEqualTo("/am/api/v2/alerts");
      // Base64 of "ruler:s:cret": the password is everything after the first colon, percent-decoded.
      assertThat(authenticated.authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder()
          .encodeToString("ruler:s:cret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(anonymous.authorization()).isNull();
      await(() -> notifier.sent() == 1);
      assertThat(MetricsText.of(registry)).doesNotContain("ruler").doesNotContain("cret")
          .contains("alertmanager=\"127.0.0.1:" + am.url().getPort() + "\"");
    }
    assertThatThrownBy(() -> AlertmanagerNotifier.builder(List.of(URI.create("http://u:pw@127.0.0.1:9093/?x=1"))))
        .hasMessage("Alertmanager URL must have no query or fragment, got http://127.0.0.1:9093/?x=1");
  }

  @Test
  void escapesStringsInJson() throws Exception {
    FakeAlertmanager am = new FakeAlertmanager(200);
    String text = "quote \" backslash \\ newline \n tab \t control \u0001 unicode é \u2028";
    try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(List.of(am.url())).build()) {
      notifier.send(List.of(new Alert(Map.of("alertname", "A"), Map.of("description", text), STARTS, ENDS, "")));
      assertThat(am.take().body().get(0).get("annotations").get("description").asText()).isEqualTo(text);
    }
  }

  @Test
  void sendsBatchesOfAtMost64() throws Exception {
    FakeAlertmanager am = new FakeAlertmanager(200);
    try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(List.of(am.url())).build()) {
      notifier.send(alerts(150));
      List<String> received = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        JsonNode body = am.take().body();
        sizes.add(body.size());
        received.addAll(alertNames(body));
      }
      assertThat(sizes).containsExactly(64, 64, 22);
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        expected.add("A" + i);
      }
      assertThat(received).isEqualTo(expected);
      await(() -> notifier.sent() == 150);
      assertThat(am.posts).isEmpty();
    }
  }

  @Test
  void addsExternalLabelsWithoutOverridingTheAlertsOwn() throws Exception {
    FakeAlertmanager am = new FakeAlertmanager(200);
    try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(List.of(am.url()))
        .externalLabels(Map.of("cluster", "eu-1", "severity", "info", "replica", "a"))
        .build()) {
      Alert own = new Alert(Map.of("alertname", "A", "severity", "page", "replica", ""), Map.of(), STARTS, ENDS, "");
      notifier.send(List.of(own));
      JsonNode labels = am.take().body().get(0).get("labels");
      // An empty label is no label, as in Prometheus, so the external replica label fills it.
      assertThat(map(labels))
          .isEqualTo(Map.of("alertname", "A", "severity", "page", "cluster", "eu-1", "replica", "a"));
    }
  }

  @Test
  void droppedLabelsGoAfterTheExternalLabelsAreAdded() throws Exception {
    FakeAlertmanager am = new FakeAlertmanager(200);
    try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(List.of(am.url()))
        .externalLabels(Map.of("cluster", "eu-1", "replica", "a")).dropLabels(List.of("replica", "instance"))
        .build()) {
      notifier.send(List.of(new Alert(Map.of("alertname", "A", "instance", "x:9100"), Map.of(), STARTS, ENDS, "")));
      // Two ruler replicas now send the same alert, which Alertmanager deduplicates.
      assertThat(map(am.take().body().get(0).get("labels"))).isEqualTo(Map.of("alertname", "A", "cluster", "eu-1"));
    }
  }

  @Test
  void failingAlertmanagersAreCountedWhileTheHealthyOneGetsEverything() throws Exception {
    FakeAlertmanager healthy = new FakeAlertmanager(200);
    FakeAlertmanager failing = new FakeAlertmanager(500);
    URI unreachable;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      unreachable = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    List<URI> alertmanagers = List.of(failing.url(), unreachable, healthy.url());
    PrometheusRegistry registry = new PrometheusRegistry();
    try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(alertmanagers)
        .timeout(Duration.ofSeconds(5))
        .metrics(registry)
        .build()) {
      notifier.send(alerts(100));
      List<String> received = new ArrayList<>();
      received.addAll(alertNames(healthy.take().body()));
      received.addAll(alertNames(healthy.take().body()));
      assertThat(received).hasSize(100).startsWith("A0", "A1").endsWith("A99");
      assertThat(failing.take().body()).hasSize(64);
      await(() -> notifier.sent() == 100 && notifier.errors() == 4);
      assertThat(notifier.dropped()).isZero();
      String text = MetricsText.of(registry);
      assertThat(value(text, sender("sent", healthy.url()))).isEqualTo(100);
      assertThat(value(text, sender("sent", failing.url()))).isZero();
      assertThat(value(text, sender("errors", failing.url()))).isEqualTo(2);
      assertThat(value(text, sender("errors", unreachable))).isEqualTo(2);
      assertThat(value(text, sender("errors", healthy.url()))).isZero();
      assertThat(value(text, "thanos_alert_sender_latency_seconds_count{alertmanager=\"" + healthy.url().getAuthority()
          + "\"}")).isEqualTo(2);
      assertThat(value(text, "thanos_alert_queue_alerts_pushed_total")).isEqualTo(100);
      assertThat(value(text, "thanos_alert_queue_alerts_popped_total")).isEqualTo(100);
      assertThat(value(text, "thanos_alert_queue_capacity")).isEqualTo(10_000);
      assertThat(value(text, "thanos_alert_sender_alerts_dropped_total")).isZero();
    }
  }

  @Test
  void batchRefusedByEveryAlertmanagerCountsAsDropped() throws Exception {
    FakeAlertmanager failing = new FakeAlertmanager(500);
    PrometheusRegistry registry = new PrometheusRegistry();
    try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(List.of(failing.url())).metrics(registry)
        .build()) {
      notifier.send(alerts(3));
      failing.take();
      await(() -> notifier.dropped() == 3);
      assertThat(MetricsText.value(registry, "thanos_alert_sender_alerts_dropped_total")).isEqualTo(3);
      assertThat(MetricsText.value(registry, "thanos_alert_queue_alerts_dropped_total")).isZero();
      assertThat(notifier.sent()).isZero();
      assertThat(notifier.errors()).isEqualTo(1);
    }
  }

  @Test
  void fullQueueDropsTheOldestAlerts() throws Exception {
    FakeAlertmanager am = new FakeAlertmanager(200);
    am.gate = new CountDownLatch(1);
    PrometheusRegistry registry = new PrometheusRegistry();
    try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(List.of(am.url())).queueCapacity(10)
        .metrics(registry).build()) {
      notifier.send(List.of(alert("first")));
      // The worker holds "first" in a POST that the gate keeps open, so the next alerts wait in the queue.
      assertThat(am.entered.await(10, TimeUnit.SECONDS)).isTrue();
      notifier.send(alerts(8));
      notifier.send(alerts(15).subList(8, 15));
      assertThat(notifier.queueLength()).isEqualTo(10);
      assertThat(notifier.dropped()).isEqualTo(5);
      assertThat(MetricsText.value(registry, "thanos_alert_queue_length")).isEqualTo(10);
      assertThat(MetricsText.value(registry, "thanos_alert_queue_alerts_dropped_total")).isEqualTo(5);
      am.gate.countDown();

      assertThat(alertNames(am.take().body())).containsExactly("first");
      assertThat(alertNames(am.take().body())).containsExactly("A5", "A6", "A7", "A8", "A9", "A10", "A11", "A12",
          "A13", "A14");
      await(() -> notifier.sent() == 11);
    }
  }

  @Test
  void oneSendLargerThanTheQueueKeepsItsNewestAlerts() throws Exception {
    FakeAlertmanager am = new FakeAlertmanager(200);
    am.gate = new CountDownLatch(1);
    try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(List.of(am.url())).queueCapacity(3).build()) {
      notifier.send(List.of(alert("first")));
      assertThat(am.entered.await(10, TimeUnit.SECONDS)).isTrue();
      notifier.send(alerts(5));
      assertThat(notifier.dropped()).isEqualTo(2);
      am.gate.countDown();
      am.take();
      assertThat(alertNames(am.take().body())).containsExactly("A2", "A3", "A4");
    }
  }

  @Test
  void closeFlushesTheQueueAndRefusesLaterAlerts() throws Exception {
    FakeAlertmanager am = new FakeAlertmanager(200);
    AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(List.of(am.url())).build();
    notifier.send(alerts(200));
    notifier.close();
    assertThat(notifier.sent()).isEqualTo(200);
    assertThat(notifier.queueLength()).isZero();
    int received = 0;
    for (Post post : am.posts) {
      received += post.body().size();
    }
    assertThat(received).isEqualTo(200);
    assertThatThrownBy(() -> notifier.send(List.of(alert("late"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("AlertmanagerNotifier is closed");
    notifier.close();
  }

  @Test
  void closeGivesUpAfterTheTimeoutAndCountsWhatIsLeft() throws Exception {
    FakeAlertmanager stuck = new FakeAlertmanager(200);
    stuck.gate = new CountDownLatch(1);
    AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(List.of(stuck.url()))
        .timeout(Duration.ofMillis(300))
        .build();
    notifier.send(alerts(100));
    assertThat(stuck.entered.await(10, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    notifier.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(notifier.sent()).isZero();
    assertThat(notifier.dropped()).isEqualTo(100);
    assertThat(notifier.errors()).isPositive();
  }

  @Test
  void alertCopiesAndSortsItsMaps() {
    Map<String, String> labels = new HashMap<>(Map.of("b", "2", "a", "1"));
    Alert alert = new Alert(labels, Map.of(), STARTS, ENDS, "");
    labels.put("c", "3");
    assertThat(alert.labels()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThatThrownBy(() -> alert.labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    Map<String, String> withNull = new HashMap<>();
    withNull.put("a", null);
    assertThatThrownBy(() -> new Alert(withNull, Map.of(), STARTS, ENDS, ""))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("labels has a null value for a");
    assertThatThrownBy(() -> new Alert(Map.of(), Map.of(), null, ENDS, ""))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("startsAt is null");
  }

  @Test
  void builderRejectsBadConfiguration() {
    URI ok = URI.create("http://127.0.0.1:9093");
    assertThatThrownBy(() -> AlertmanagerNotifier.builder(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at least one Alertmanager URL is required");
    assertThatThrownBy(() -> AlertmanagerNotifier.builder(List.of(URI.create("ftp://127.0.0.1/"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Alertmanager URL must be an absolute http or https URL with a host, got ftp://127.0.0.1/");
    assertThatThrownBy(() -> AlertmanagerNotifier.builder(List.of(URI.create("/relative"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AlertmanagerNotifier.builder(List.of(URI.create("http://127.0.0.1:9093/?x=1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Alertmanager URL must have no query or fragment, got http://127.0.0.1:9093/?x=1");
    assertThatThrownBy(() -> AlertmanagerNotifier.builder(List.of(ok)).queueCapacity(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueCapacity must be positive, got 0");
    assertThatThrownBy(() -> AlertmanagerNotifier.builder(List.of(ok)).timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive, got PT0S");
  }
}
