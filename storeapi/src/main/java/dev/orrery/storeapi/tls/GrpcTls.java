package dev.orrery.storeapi.tls;

import static java.util.Objects.requireNonNull;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * gRPC credentials from {@link TlsConfig}s, with certificates and CAs re-read from disk when they change. Use them
 * with {@code Grpc.newServerBuilderForPort(port, credentials)} and {@code Grpc.newChannelBuilder(target,
 * credentials)}.
 *
 * <p>Server: with a CA file, clients must present a certificate signed by one of its CAs (mutual TLS); a client with
 * no certificate or one from another CA fails the handshake. Client: verifies the server against the CA file (or the
 * JDK's trust store) and presents its own certificate when one is configured.
 */
public final class GrpcTls {
  private GrpcTls() {}

  /**
   * Server credentials: plaintext when {@code config} is {@code null}.
   *
   * @throws IOException if a file cannot be read or parsed
   * @throws IllegalArgumentException if TLS is configured without a certificate
   */
  public static ServerCredentials server(@Nullable TlsConfig config) throws IOException {
    if (config == null) {
      return InsecureServerCredentials.create();
    }
    if (config.certFile() == null) {
      throw new IllegalArgumentException("a TLS server needs a certificate and key");
    }
    TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder()
        .keyManager(new ReloadingKeyManager(config.certFile(), requireNonNull(config.keyFile())));
    if (config.caFile() != null) {
      b.trustManager(new ReloadingTrustManager(config.caFile()))
          .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return b.build();
  }

  /**
   * A JDK {@link SSLContext} for a server with the same reloading certificate and, with a CA file, the CAs client
   * certificates are verified against, for servers other than gRPC's (the HTTP API). Whether clients must present a
   * certificate is the server's setting ({@code setNeedClientAuth} or {@code setWantClientAuth}).
   *
   * @throws IOException if a file cannot be read or parsed
   * @throws IllegalArgumentException if {@code config} has no certificate
   */
  public static SSLContext serverSslContext(TlsConfig config) throws IOException {
    if (config.certFile() == null) {
      throw new IllegalArgumentException("a TLS server needs a certificate and key");
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {new ReloadingKeyManager(config.certFile(), requireNonNull(config.keyFile()))},
          config.caFile() == null ? null : new TrustManager[] {new ReloadingTrustManager(config.caFile())}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS with " + config.certFile() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A JDK {@link SSLContext} for a client of servers other than gRPC's (an HTTP API): it verifies the server against
   * the CA file (or the JDK's trust store) and presents the certificate when one is configured, re-read when it
   * changes. A {@link TlsConfig#serverName()} is not applied here.
   *
   * @throws IOException if a file cannot be read or parsed
   */
  public static SSLContext clientSslContext(TlsConfig config) throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(config.certFile() == null ? null : new KeyManager[] {new ReloadingKeyManager(config.certFile(),
          requireNonNull(config.keyFile()))},
          config.caFile() == null ? null : new TrustManager[] {new ReloadingTrustManager(config.caFile())}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * Client credentials: plaintext when {@code config} is {@code null}. A configured {@link TlsConfig#serverName()}
   * is applied by the caller with {@code overrideAuthority} on the channel builder.
   *
   * @throws IOException if a file cannot be read or parsed
   */
  public static ChannelCredentials client(@Nullable TlsConfig config) throws IOException {
    if (config == null) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
    if (config.certFile() != null) {
      b.keyManager(new ReloadingKeyManager(config.certFile(), requireNonNull(config.keyFile())));
    }
    if (config.caFile() != null) {
      b.trustManager(new ReloadingTrustManager(config.caFile()));
    }
    return b.build();
  }
}
