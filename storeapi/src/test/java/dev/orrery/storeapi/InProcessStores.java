package dev.orrery.storeapi;

import dev.orrery.storeapi.proxy.EndpointSet;
import dev.orrery.storeapi.proxy.ProxyStore;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stores served over gRPC's in-process transport, and queriers over them: the real gRPC stack without sockets.
 * {@link #close()} closes everything it made, including stores handed to {@link #closeLater}.
 */
public final class InProcessStores implements AutoCloseable {
  private final ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Server> servers = new LinkedHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** The executor the servers and channels run on. */
  public ExecutorService executor() {
    return exec;
  }

  /** Serves {@code store} (and whichever of its other APIs it has); returns the server's name, its address. */
  public String serve(StoreApi store) throws IOException {
    String name = InProcessServerBuilder.generateName();
    servers.put(name, InProcessServerBuilder.forName(name).executor(exec).addServices(
        StoreServices.of(store, exec).stream().map(b -> b.bindService()).toList()).build().start());
    return name;
  }

  /** Stops the server {@code name}, as if its process died. */
  public void kill(String name) throws InterruptedException {
    servers.get(name).shutdownNow().awaitTermination();
  }

  /** A channel to {@code name}. */
  public ManagedChannel channel(String name) {
    return InProcessChannelBuilder.forName(name).executor(exec).build();
  }

  /** An endpoint set over {@code names} (and the addresses listed in {@code file}, if not null), refreshed once. */
  public EndpointSet endpoints(List<String> names, Path file) throws IOException {
    EndpointSet set = new EndpointSet(names, file, this::channel, Duration.ofSeconds(5));
    set.refresh();
    closeables.add(set);
    return set;
  }

  /** An endpoint set over {@code names}, refreshed once. */
  public EndpointSet endpoints(List<String> names) throws IOException {
    return endpoints(names, null);
  }

  /** A querier's StoreAPI over {@code names}. */
  public ProxyStore querier(List<String> names) throws IOException {
    return new ProxyStore(endpoints(names), Duration.ofSeconds(10));
  }

  /** Closes {@code c} with the rest. */
  public <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(c);
    return c;
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    servers.values().forEach(Server::shutdownNow);
    exec.close();
  }
}
