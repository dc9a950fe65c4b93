package dev.orrery.promql.rules;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.io.UrlCredentials;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to Alertmanager's v2 API ({@code POST <url>/api/v2/alerts}) as Prometheus' notifier
 * ({@code notifier/notifier.go}) does: {@link #send} only enqueues; a bounded queue drops its oldest alerts when full;
 * one background thread posts batches of at most 64 alerts to every Alertmanager at once, and a batch counts as sent
 * when at least one Alertmanager accepted it (otherwise its alerts count as dropped). Failures are logged and counted,
 * never thrown. External labels are added to each alert that lacks them.
 *
 * {@snippet :
 * try (AlertmanagerNotifier notifier = AlertmanagerNotifier.builder(List.of(URI.create("http://127.0.0.1:9093")))
 *     .externalLabels(Map.of("cluster", "eu-1"))
 *     .build()) {
 *   notifier.send(alerts);
 * }
 * }
 *
 * <p>Unlike most of Orrery this class starts a thread of its own: one platform daemon thread, named
 * {@code orrery-alertmanager-notifier}, from {@link Builder#build()} to {@link #close()}. Thread-safe.
 */
public final class AlertmanagerNotifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerNotifier.class);
  /** Prometheus' maxBatchSize. */
  static final int MAX_BATCH_SIZE = 64;
  private static final String ALERTS_PATH = "/api/v2/alerts";
  private static final int LOGGED_BODY_CHARS = 256;

  /**
   * An alert as Alertmanager receives it. The maps are copied and sorted by name.
   *
   * @param labels the alert's identity; must not be null, nor hold null names or values
   * @param annotations informational texts such as {@code summary}
   * @param startsAt when the alert started firing
   * @param endsAt when it resolved, or until when it is valid while it fires (Prometheus sends a time a few
   *     evaluation intervals ahead)
   * @param generatorUrl a link back to the rule's expression, or ""
   */
  public record Alert(
      Map<String, String> labels,
      Map<String, String> annotations,
      Instant startsAt,
      Instant endsAt,
      String generatorUrl) {
    public Alert {
      labels = sortedCopy(labels, "labels");
      annotations = sortedCopy(annotations, "annotations");
      requireNonNull(startsAt, "startsAt is null");
      requireNonNull(endsAt, "endsAt is null");
      requireNonNull(generatorUrl, "generatorUrl is null");
    }
  }

  private final List<Endpoint> endpoints;
  private final int queueCapacity;
  private final Duration timeout;
  private final SortedMap<String, String> externalLabels;
  private final Set<String> dropLabels;
  private final HttpClient client;
  private final Thread worker;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Alert> queue = new ArrayDeque<>();
  private boolean closed;
  private long drainDeadlineNanos;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AlertSenderMetrics metrics;

  private AlertmanagerNotifier(Builder builder) {
    this.endpoints = builder.endpoints;
    this.queueCapacity = builder.queueCapacity;
    this.timeout = builder.timeout;
    this.externalLabels = builder.externalLabels;
    this.dropLabels = builder.dropLabels;
    this.metrics = new AlertSenderMetrics(builder.metricsRegistry);
    metrics.queueCapacity.set(queueCapacity);
    for (Endpoint endpoint : endpoints) {
      // Every Alertmanager's series from the start, so that rates and error ratios are defined before a failure.
      metrics.sent.labelValues(endpoint.name());
      metrics.errors.labelValues(endpoint.name());
    }
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .build();
    this.worker = Thread.ofPlatform().daemon().name("orrery-alertmanager-notifier").unstarted(this::run);
  }

  /**
   * A builder for a notifier that posts to {@code alertmanagers}, base URLs such as {@code http://127.0.0.1:9093} or
   * {@code https://am.example.com/prefix} (the API path is appended to any path they have).
   *
   * @throws IllegalArgumentException if the list is empty or a URL is not an absolute http(s) URL with a host, or has
   *     a query or fragment
   */
  public static Builder builder(List<URI> alertmanagers) {
    return new Builder(alertmanagers);
  }

  /** Configures and starts an {@link AlertmanagerNotifier}. Reusable: each {@link #build()} starts a new one. */
  public static final class Builder {
    private final List<Endpoint> endpoints;
    private int queueCapacity = 10_000;
    private Duration timeout = Duration.ofSeconds(10);
    private SortedMap<String, String> externalLabels = Collections.emptySortedMap();
    private Set<String> dropLabels = Set.of();
    private @Nullable PrometheusRegistry metricsRegistry;

    private Builder(List<URI> alertmanagers) {
      requireNonNull(alertmanagers, "alertmanagers is null");
      if (alertmanagers.isEmpty()) {
        throw new IllegalArgumentException("at least one Alertmanager URL is required");
      }
      List<Endpoint> list = new ArrayList<>(alertmanagers.size());
      for (URI url : alertmanagers) {
        list.add(Endpoint.of(url));
      }
      this.endpoints = List.copyOf(list);
    }

    /** How many alerts may wait to be sent (default 10,000); beyond it the oldest are dropped. */
    public Builder queueCapacity(int capacity) {
      if (capacity <= 0) {
        throw new IllegalArgumentException("queueCapacity must be positive, got " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * The time limit of one POST, connecting included (default 10s), and of the final flush in {@link #close()}.
     */
    public Builder timeout(Duration timeout) {
      requireNonNull(timeout, "timeout is null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Labels added to every alert that lacks them (has no such label or an empty value), as Prometheus adds its
     * {@code global.external_labels}; an alert's own label wins.
     */
    public Builder externalLabels(Map<String, String> labels) {
      this.externalLabels = sortedCopy(labels, "externalLabels");
      return this;
    }

    /**
     * Labels removed from every alert, after the external labels are added (Thanos' {@code --alert.label-drop}):
     * dropping the replica label lets Alertmanager deduplicate the alerts of rulers that run as replicas.
     */
    public Builder dropLabels(Collection<String> names) {
      this.dropLabels = Set.copyOf(names);
      return this;
    }

    /**
     * Registers the notifier's metrics with {@code registry}: the Thanos ruler's {@code thanos_alert_queue_*} and
     * {@code thanos_alert_sender_*} families; default none.
     */
    public Builder metrics(PrometheusRegistry registry) {
      this.metricsRegistry = requireNonNull(registry, "registry is null");
      return this;
    }

    /** Starts a notifier with this configuration. */
    public AlertmanagerNotifier build() {
      AlertmanagerNotifier notifier = new AlertmanagerNotifier(this);
      notifier.worker.start();
      return notifier;
    }
  }

  /**
   * Enqueues {@code alerts} without blocking, after adding the external labels. When the queue is full, the oldest
   * alerts (those waiting longest, or the first of this list) are dropped and counted in {@link #dropped()}.
   *
   * @throws IllegalStateException if the notifier is closed
   */
  public void send(List<Alert> alerts) {
    requireNonNull(alerts, "alerts is null");
    List<Alert> labelled = new ArrayList<>(alerts.size());
    for (Alert alert : alerts) {
      labelled.add(withExternalLabels(requireNonNull(alert, "alert is null")));
    }
    int overflow = 0;
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("AlertmanagerNotifier is closed");
      }
      for (Alert alert : labelled) {
        if (queue.size() == queueCapacity) {
          queue.pollFirst();
          overflow++;
        }
        queue.addLast(alert);
      }
      metrics.queueLength.set(queue.size());
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    metrics.queuePushed.inc(labelled.size());
    if (overflow > 0) {
      dropped.addAndGet(overflow);
      metrics.queueDropped.inc(overflow);
      LOG.warn("Alert notification queue full, dropped {} alerts", overflow);
    }
  }

  /** Alerts in batches that at least one Alertmanager accepted. */
  public long sent() {
    return sent.get();
  }

  /** Alerts dropped: pushed out of a full queue, refused by every Alertmanager, or left unsent at close. */
  public long dropped() {
    return dropped.get();
  }

  /** Failed POSTs, one per Alertmanager and batch: I/O errors, timeouts and non-2xx responses. */
  public long errors() {
    return errors.get();
  }

  /** Alerts waiting to be sent. */
  public int queueLength() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops accepting alerts, sends what is queued within the timeout, then stops the thread; alerts left over count
   * as dropped. Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      drainDeadlineNanos = System.nanoTime() + timeout.toNanos();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    try {
      // The worker stops by the deadline; a POST it started just before may take one more timeout.
      if (!worker.join(timeout.multipliedBy(2).plusSeconds(1))) {
        worker.interrupt();
        worker.join(Duration.ofSeconds(1));
      }
    } catch (InterruptedException e) {
      interrupted = true;
      worker.interrupt();
    } finally {
      client.shutdownNow();
      int left;
      lock.lock();
      try {
        left = queue.size();
        queue.clear();
      } finally {
        lock.unlock();
      }
      metrics.queueLength.set(0);
      if (left > 0) {
        dropped.addAndGet(left);
        metrics.queueDropped.inc(left);
        LOG.warn("Dropped {} alerts that were not sent before the notifier closed", left);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try {
      while (true) {
        List<Alert> batch;
        Duration requestTimeout = timeout;
        lock.lock();
        try {
          while (queue.isEmpty() && !closed) {
            changed.await();
          }
          if (queue.isEmpty()) {
            return;
          }
          if (closed) {
            long remaining = drainDeadlineNanos - System.nanoTime();
            if (remaining <= 0) {
              // close() counts what is left.
              return;
            }
            requestTimeout = Duration.ofNanos(Math.min(remaining, timeout.toNanos()));
          }
          int n = Math.min(queue.size(), MAX_BATCH_SIZE);
          batch = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            batch.add(queue.pollFirst());
          }
          metrics.queuePopped.inc(n);
          metrics.queueLength.set(queue.size());
        } finally {
          lock.unlock();
        }
        sendBatch(batch, requestTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // Posts one batch to every Alertmanager concurrently and waits for all of them.
  private void sendBatch(List<Alert> batch, Duration requestTimeout) throws InterruptedException {
    byte[] body = PostableAlerts.encode(batch);
    List<CompletableFuture<Boolean>> results = new ArrayList<>(endpoints.size());
    for (Endpoint endpoint : endpoints) {
      HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.alerts())
          .timeout(requestTimeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (endpoint.authorization() != null) {
        request.header("Authorization", endpoint.authorization());
      }
      CompletableFuture<Boolean> result;
      long start = System.nanoTime();
      try {
        result = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
            .handle((response, failure) -> accepted(endpoint, batch.size(), response, failure, start));
      } catch (RuntimeException e) {
        // sendAsync refuses some requests outright (for example once the client is shut down).
        result = CompletableFuture.completedFuture(accepted(endpoint, batch.size(), null, e, start));
      }
      results.add(result);
    }
    boolean anyAccepted = false;
    try {
      for (CompletableFuture<Boolean> result : results) {
        anyAccepted |= result.get();
      }
    } catch (ExecutionException e) {
      // accepted() does not throw; a failure here is a bug, reported like a failed POST.
      errors.incrementAndGet();
      LOG.error("Error sending alerts to Alertmanager", e.getCause());
    } catch (InterruptedException e) {
      for (CompletableFuture<Boolean> result : results) {
        result.cancel(true);
      }
      throw e;
    }
    if (anyAccepted) {
      sent.addAndGet(batch.size());
    } else {
      dropped.addAndGet(batch.size());
      metrics.senderDropped.inc(batch.size());
    }
  }

  private boolean accepted(Endpoint endpoint, int count, @Nullable HttpResponse<String> response,
      @Nullable Throwable failure, long startNanos) {
    String alertmanager = endpoint.name();
    if (failure != null || response == null) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause()
          : failure;
      errors.incrementAndGet();
      metrics.errors.labelValues(alertmanager).inc();
      LOG.warn("Error sending {} alerts to Alertmanager {}: {}", count, endpoint.alerts(), cause);
      return false;
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      String body = response.body();
      if (body.length() > LOGGED_BODY_CHARS) {
        body = body.substring(0, LOGGED_BODY_CHARS) + "...";
      }
      errors.incrementAndGet();
      metrics.errors.labelValues(alertmanager).inc();
      LOG.warn("Error sending {} alerts to Alertmanager {}: bad response status {}: {}", count, endpoint.alerts(),
          status,
          body.strip());
      return false;
    }
    metrics.sent.labelValues(alertmanager).inc(count);
    metrics.latency.labelValues(alertmanager).observe((System.nanoTime() - startNanos) / 1e9);
    return true;
  }

  // The external labels the alert lacks, then without the dropped labels (Thanos' order).
  private Alert withExternalLabels(Alert alert) {
    if (externalLabels.isEmpty() && dropLabels.isEmpty()) {
      return alert;
    }
    Map<String, String> labels = new TreeMap<>(alert.labels());
    for (Map.Entry<String, String> e : externalLabels.entrySet()) {
      String own = labels.get(e.getKey());
      if (own == null || own.isEmpty()) {
        labels.put(e.getKey(), e.getValue());
      }
    }
    labels.keySet().removeAll(dropLabels);
    return new Alert(labels, alert.annotations(), alert.startsAt(), alert.endsAt(), alert.generatorUrl());
  }

  /**
   * An Alertmanager: its alerts API, {@code <scheme>://<host:port><path prefix>/api/v2/alerts} as Prometheus builds it
   * from an alertmanager config, without credentials; its name in metrics and messages ({@code host:port}); and the
   * {@code Authorization} header for the user and password of its URL (HTTP basic auth, as Thanos takes them from
   * {@code --alertmanagers.url}), or {@code null}.
   */
  private record Endpoint(URI alerts, String name, @Nullable String authorization) {
    static Endpoint of(URI base) {
      requireNonNull(base, "Alertmanager URL is null");
      String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || base.isOpaque() || base.getHost() == null) {
        throw new IllegalArgumentException("Alertmanager URL must be an absolute http or https URL with a host, got "
            + UrlCredentials.redacted(base));
      }
      if (base.getRawQuery() != null || base.getRawFragment() != null) {
        throw new IllegalArgumentException("Alertmanager URL must have no query or fragment, got "
            + UrlCredentials.redacted(base));
      }
      UrlCredentials credentials = UrlCredentials.of(base);
      URI url = credentials.url();
      String path = url.getRawPath() == null ? "" : url.getRawPath();
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      return new Endpoint(URI.create(scheme + "://" + url.getRawAuthority() + path + ALERTS_PATH),
          url.getRawAuthority(), credentials.authorization());
    }
  }



  private static SortedMap<String, String> sortedCopy(Map<String, String> map, String what) {
    requireNonNull(map, what + " is null");
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : map.entrySet()) {
      String name = requireNonNull(e.getKey(), what + " has a null name");
      copy.put(name, requireNonNull(e.getValue(), what + " has a null value for " + name));
    }
    return Collections.unmodifiableSortedMap(copy);
  }
}
