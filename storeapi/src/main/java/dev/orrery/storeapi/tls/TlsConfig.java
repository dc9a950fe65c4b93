package dev.orrery.storeapi.tls;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * TLS settings of one side of a gRPC connection, named like Thanos' flags ({@code --grpc-server-tls-cert}, {@code
 * --grpc-server-tls-key}, {@code --grpc-server-tls-client-ca}; {@code --grpc-client-tls-cert}, {@code -key},
 * {@code -ca}, {@code --grpc-client-server-name}). Files are PEM: certificate chains, PKCS#8 or PKCS#1 (RSA) private
 * keys, CA bundles.
 *
 * @param certFile this side's certificate chain, or {@code null} (a client without a certificate)
 * @param keyFile the private key of {@code certFile}, or {@code null}
 * @param caFile CAs to verify the peer with: on a server, client certificates are then required and verified; on a
 *     client, the server is verified against them ({@code null}: the JDK's default trust store)
 * @param serverName on a client, the name expected in the server's certificate instead of the target host; ignored
 *     on a server
 */
public record TlsConfig(@Nullable Path certFile, @Nullable Path keyFile, @Nullable Path caFile,
    @Nullable String serverName) {
  /** Checks that certificate and key come together. */
  public TlsConfig {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("a TLS certificate needs its key and a key its certificate");
    }
  }
}
