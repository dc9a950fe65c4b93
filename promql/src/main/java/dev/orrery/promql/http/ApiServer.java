package dev.orrery.promql.http;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * A Jetty 12 server that serves one {@link Handler} (typically a {@link PrometheusApiHandler}) on one address. Start
 * it with {@link Builder#start()}, stop it with {@link #close()}.
 *
 * <p>Threads: the server runs on the {@link ThreadPool} given to {@link Builder#threadPool}; without one, Jetty
 * creates its default {@code QueuedThreadPool} (up to 200 threads), owned and stopped by this server. Thread-safe.
 */
public final class ApiServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final boolean tls;

  private ApiServer(Server server, ServerConnector connector, boolean tls) {
    this.server = server;
    this.connector = connector;
    this.tls = tls;
  }

  /** Whether a TLS server asks clients for certificates. */
  public enum ClientAuth {
    /** Clients present none. */
    NONE,
    /** A client may present one, which is then verified. */
    OPTIONAL,
    /** A client must present one that verifies; without it the handshake fails. */
    REQUIRED
  }

  /**
   * Which TLS versions and cipher suites a server accepts.
   *
   * @param protocols JSSE protocol names ({@code TLSv1.2}, {@code TLSv1.3}); empty for the JVM's defaults
   * @param cipherSuites cipher suite names; empty for the JVM's defaults
   * @param namedGroups key exchange groups ({@code x25519}, {@code secp256r1}), most preferred first; empty for the
   *     JVM's defaults
   * @param serverOrder whether the server's preference order of cipher suites wins over the client's
   */
  public record TlsOptions(List<String> protocols, List<String> cipherSuites, List<String> namedGroups,
      boolean serverOrder) {
    /** The JVM's defaults, the server's order first. */
    public static final TlsOptions DEFAULTS = new TlsOptions(List.of(), List.of(), List.of(), true);

    /** Copies the lists. */
    public TlsOptions {
      protocols = List.copyOf(protocols);
      cipherSuites = List.copyOf(cipherSuites);
      namedGroups = List.copyOf(namedGroups);
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port the server listens on (the chosen one when the builder asked for port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The host the server listens on, as given to the builder. */
  public String host() {
    return connector.getHost();
  }

  /** {@code http://host:port/} ({@code https} with TLS), with IPv6 hosts in brackets. */
  public URI uri() {
    String host = host();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create((tls ? "https://" : "http://") + host + ":" + port() + "/");
  }

  /** Blocks until the server has stopped. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops accepting connections, lets running requests finish (up to 5 s) and stops the server. Idempotent. */
  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** Builds and starts an {@link ApiServer}; {@link #handler} and an address are required. */
  public static final class Builder {
    private String host;
    private int port = -1;
    private Handler handler;
    private ThreadPool threadPool;
    private SSLContext sslContext;
    private ClientAuth clientAuth = ClientAuth.NONE;
    private TlsOptions tlsOptions = TlsOptions.DEFAULTS;

    private Builder() {}

    /**
     * Serves HTTPS with {@code sslContext} (its key manager's certificate, and its trust manager for client
     * certificates), asking clients for certificates as {@code clientAuth} says.
     */
    public Builder tls(SSLContext sslContext, ClientAuth clientAuth) {
      return tls(sslContext, clientAuth, TlsOptions.DEFAULTS);
    }

    /** {@link #tls(SSLContext, ClientAuth)}, accepting only the TLS versions and cipher suites of {@code options}. */
    public Builder tls(SSLContext sslContext, ClientAuth clientAuth, TlsOptions options) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext is null");
      this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth is null");
      this.tlsOptions = Objects.requireNonNull(options, "options is null");
      return this;
    }

    /** Listens on {@code host} (a name or an IP literal) and {@code port} (0 picks a free port). */
    public Builder address(String host, int port) {
      this.host = Objects.requireNonNull(host, "host is null");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be within 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** Listens on {@code address}. */
    public Builder address(InetSocketAddress address) {
      return address(address.getHostString(), address.getPort());
    }

    /**
     * Listens on {@code host:port}, as command lines write it ({@code 127.0.0.1:10902}, {@code [::1]:10902},
     * {@code localhost:0}).
     *
     * @throws IllegalArgumentException if the text is not {@code host:port}
     */
    public Builder address(String hostAndPort) {
      Objects.requireNonNull(hostAndPort, "hostAndPort is null");
      int colon = hostAndPort.lastIndexOf(':');
      if (colon <= 0 || colon == hostAndPort.length() - 1) {
        throw new IllegalArgumentException("address must be host:port, got " + hostAndPort);
      }
      String h = hostAndPort.substring(0, colon);
      if (h.startsWith("[") && h.endsWith("]")) {
        h = h.substring(1, h.length() - 1);
      } else if (h.indexOf(':') >= 0) {
        throw new IllegalArgumentException("an IPv6 address needs brackets, as [::1]:10902; got " + hostAndPort);
      }
      int p;
      try {
        p = Integer.parseInt(hostAndPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("address must be host:port, got " + hostAndPort, e);
      }
      return address(h, p);
    }

    /** The handler that answers every request. */
    public Builder handler(Handler handler) {
      this.handler = Objects.requireNonNull(handler, "handler is null");
      return this;
    }

    /**
     * The pool the server's connector and handlers run on. The caller owns it when it was started before; a pool
     * that is not started is started and stopped with the server (Jetty's life-cycle rules).
     */
    public Builder threadPool(ThreadPool threadPool) {
      this.threadPool = Objects.requireNonNull(threadPool, "threadPool is null");
      return this;
    }

    /**
     * Creates the server, binds the address and starts serving.
     *
     * @throws IllegalStateException if no address or handler was set
     * @throws Exception if the address cannot be bound (Jetty's start failure, e.g. a {@code java.net.BindException})
     */
    public ApiServer start() throws Exception {
      if (host == null) {
        throw new IllegalStateException("address is not set");
      }
      if (handler == null) {
        throw new IllegalStateException("handler is not set");
      }
      Server server = threadPool == null ? new Server() : new Server(threadPool);
      ServerConnector connector;
      if (sslContext == null) {
        connector = new ServerConnector(server);
      } else {
        List<String> groups = tlsOptions.namedGroups();
        SslContextFactory.Server ssl = new SslContextFactory.Server() {
          @Override
          public SSLParameters customize(SSLParameters parameters) {
            SSLParameters customized = super.customize(parameters);
            if (!groups.isEmpty()) {
              customized.setNamedGroups(groups.toArray(new String[0]));
            }
            return customized;
          }
        };
        ssl.setSslContext(sslContext);
        ssl.setNeedClientAuth(clientAuth == ClientAuth.REQUIRED);
        ssl.setWantClientAuth(clientAuth == ClientAuth.OPTIONAL);
        if (!tlsOptions.protocols().isEmpty()) {
          ssl.setIncludeProtocols(tlsOptions.protocols().toArray(new String[0]));
          // Jetty excludes old protocols by default; what the options name is what is wanted.
          ssl.setExcludeProtocols();
        }
        if (!tlsOptions.cipherSuites().isEmpty()) {
          ssl.setIncludeCipherSuites(tlsOptions.cipherSuites().toArray(new String[0]));
        }
        ssl.setUseCipherSuitesOrder(tlsOptions.serverOrder());
        connector = new ServerConnector(server, ssl);
      }
      connector.setHost(host);
      connector.setPort(port);
      server.addConnector(connector);
      server.setHandler(handler);
      server.setStopTimeout(5_000);
      try {
        server.start();
      } catch (Exception e) {
        try {
          server.stop();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      return new ApiServer(server, connector, sslContext != null);
    }
  }
}
