package dev.orrery.storeapi.proxy;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.storage.StoreStatus;
import dev.orrery.core.storage.StoreStatusSource;
import io.grpc.ManagedChannel;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The StoreAPI endpoints a querier fans out to: a static list plus, optionally, a file re-read when it changes (one
 * {@code host:port} per line; blank lines and {@code #} comments ignored; YAML list items {@code - host:port} are
 * accepted too). {@link #refresh()} re-reads the file, opens channels for new addresses, closes removed ones, and asks
 * every endpoint's {@code Info}. Channels come from the caller's factory (plaintext or TLS).
 *
 * <p>Thread-safe. {@link #endpoints()} is a snapshot. Starts no threads; {@link #schedule} runs refreshes on the
 * caller's scheduler.
 */
public final class EndpointSet implements StoreStatusSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointSet.class);

  private final List<String> staticAddresses;
  private final @Nullable Path file;
  private final Function<String, ManagedChannel> channels;
  private final Duration infoTimeout;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile List<StoreEndpoint> endpoints = List.of();
  private final Map<String, StoreEndpoint> byAddress = new LinkedHashMap<>();
  private @Nullable FileTime fileModified;
  private List<String> fileAddresses = List.of();

  /**
   * @param staticAddresses addresses given directly (e.g. {@code --endpoint} flags)
   * @param file a file listing more addresses, or {@code null}
   * @param channels opens a channel to an address; the set owns the channels it opens
   * @param infoTimeout deadline of each {@code Info} call
   */
  public EndpointSet(List<String> staticAddresses, @Nullable Path file, Function<String, ManagedChannel> channels,
      Duration infoTimeout) {
    this.staticAddresses = List.copyOf(staticAddresses);
    this.file = file;
    this.channels = requireNonNull(channels, "channels is null");
    this.infoTimeout = requireNonNull(infoTimeout, "infoTimeout is null");
  }

  /** The current endpoints (a snapshot). */
  public List<StoreEndpoint> endpoints() {
    return endpoints;
  }

  /** Every endpoint that has answered {@code Info} at least once, with its last check and error. */
  @Override
  public List<StoreStatus> storeStatuses() {
    List<StoreStatus> out = new ArrayList<>();
    for (StoreEndpoint e : endpoints) {
      StoreStatus status = e.status();
      if (status != null) {
        out.add(status);
      }
    }
    return out;
  }

  /**
   * Re-reads the file if it changed, updates the endpoints and refreshes their Info.
   *
   * @throws IOException if the file exists but cannot be read
   */
  public void refresh() throws IOException {
    lock.lock();
    try {
      if (file != null) {
        readFileIfChanged(file);
      }
      Set<String> wanted = new LinkedHashSet<>(staticAddresses);
      wanted.addAll(fileAddresses);
      for (String a : new ArrayList<>(byAddress.keySet())) {
        if (!wanted.contains(a)) {
          byAddress.remove(a).close();
        }
      }
      for (String a : wanted) {
        byAddress.computeIfAbsent(a, addr -> new StoreEndpoint(addr, channels.apply(addr)));
      }
      endpoints = List.copyOf(byAddress.values());
    } finally {
      lock.unlock();
    }
    for (StoreEndpoint e : endpoints) {
      if (!e.refreshInfo(infoTimeout)) {
        LOG.warn("Info of {} failed: {}", e.address(), e.lastError());
      }
    }
  }

  private void readFileIfChanged(Path f) throws IOException {
    FileTime modified;
    try {
      modified = Files.getLastModifiedTime(f);
    } catch (NoSuchFileException e) {
      fileAddresses = List.of();
      fileModified = null;
      return;
    }
    if (modified.equals(fileModified)) {
      return;
    }
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      String s = line.strip();
      int hash = s.indexOf('#');
      if (hash >= 0) {
        s = s.substring(0, hash).strip();
      }
      if (s.startsWith("- ")) {
        s = s.substring(2).strip();
      }
      if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
        s = s.substring(1, s.length() - 1);
      }
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    fileAddresses = List.copyOf(out);
    fileModified = modified;
  }

  /**
   * Registers the endpoint set's metric with {@code registry}, as Thanos' querier names it: {@code
   * thanos_store_nodes_grpc_connections{external_labels, store_type}}, the endpoints whose last {@code Info}
   * succeeded, by their external label sets and component type.
   */
  public void registerMetrics(PrometheusRegistry registry) {
    GaugeWithCallback.builder().name("thanos_store_nodes_grpc_connections")
        .help("Number of gRPC connection to Store APIs. Opened connection means healthy store APIs available for "
            + "Querier.")
        .labelNames("external_labels", "store_type")
        .callback(cb -> {
          Map<List<String>, Integer> counts = new TreeMap<>(Comparator.comparing(Object::toString));
          for (StoreEndpoint e : endpoints) {
            StoreEndpoint.State state = e.state();
            if (state != null && e.lastError() == null) {
              String sets = state.labelSets().stream().map(Labels::toString).collect(Collectors.joining(","));
              counts.merge(List.of(sets, state.componentType()), 1, Integer::sum);
            }
          }
          counts.forEach((key, n) -> cb.call(n, key.get(0), key.get(1)));
        })
        .register(registry);
  }

  /** Runs {@link #refresh()} every {@code interval} on {@code scheduler} (owned by the caller). */
  public ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, Duration interval) {
    return scheduler.scheduleWithFixedDelay(() -> {
      try {
        refresh();
      } catch (IOException | RuntimeException e) {
        LOG.warn("endpoint refresh failed: {}", e.toString());
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Closes every endpoint's channel. */
  @Override
  public void close() {
    lock.lock();
    try {
      for (StoreEndpoint e : byAddress.values()) {
        e.close();
      }
      byAddress.clear();
      endpoints = List.of();
    } finally {
      lock.unlock();
    }
  }
}
