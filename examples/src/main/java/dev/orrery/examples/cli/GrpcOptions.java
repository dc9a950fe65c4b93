package dev.orrery.examples.cli;

import dev.orrery.promql.parser.PromqlParser;
import dev.orrery.storeapi.GrpcCompression;
import dev.orrery.storeapi.StoreApi;
import dev.orrery.storeapi.StoreServices;
import dev.orrery.storeapi.tls.GrpcTls;
import dev.orrery.storeapi.tls.TlsConfig;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The gRPC server and client flags shared by {@code orrery store}, {@code sidecar} and {@code query}, named as in
 * Thanos; also opens servers and channels from them.
 */
final class GrpcOptions {
  @Option(names = "--grpc-address", defaultValue = "127.0.0.1:10901",
      description = "Listen address host:port of the StoreAPI gRPC server (default ${DEFAULT-VALUE}).")
  String grpcAddress;

  @Option(names = "--grpc-server-tls-cert", description = "TLS certificate (PEM) of the gRPC server; enables TLS.")
  Path serverCert;

  @Option(names = "--grpc-server-tls-key", description = "Private key (PEM) of --grpc-server-tls-cert.")
  Path serverKey;

  @Option(names = "--grpc-server-tls-client-ca",
      description = "CA bundle (PEM) to verify client certificates with; enables mutual TLS (clients must present one).")
  Path serverClientCa;

  @Option(names = "--grpc-compression", defaultValue = "none",
      description = "Compression of requests to StoreAPI endpoints: none or snappy (Thanos' framed snappy; servers "
          + "here always accept it). Default ${DEFAULT-VALUE}.")
  String compression = "none";

  @Option(names = "--grpc-client-tls-secure", description = "Use TLS when talking to StoreAPI endpoints.")
  boolean clientSecure;

  @Option(names = "--grpc-client-tls-cert", description = "Client certificate (PEM) presented to endpoints.")
  Path clientCert;

  @Option(names = "--grpc-client-tls-key", description = "Private key (PEM) of --grpc-client-tls-cert.")
  Path clientKey;

  @Option(names = "--grpc-client-tls-ca", description = "CA bundle (PEM) to verify endpoints with.")
  Path clientCa;

  @Option(names = "--grpc-client-server-name", description = "Server name expected in endpoints' certificates.")
  String clientServerName;

  TlsConfig serverTls() {
    if (serverCert == null && serverKey == null && serverClientCa == null) {
      return null;
    }
    if (serverCert == null || serverKey == null) {
      throw new IllegalArgumentException("--grpc-server-tls-cert and --grpc-server-tls-key go together");
    }
    return new TlsConfig(serverCert, serverKey, serverClientCa, null);
  }

  TlsConfig clientTls() {
    if (!clientSecure && clientCert == null && clientCa == null) {
      return null;
    }
    return new TlsConfig(clientCert, clientKey, clientCa, clientServerName);
  }

  /**
   * Starts a gRPC server on {@link #grpcAddress} with the server TLS flags serving {@code store}'s StoreAPI and the
   * other Thanos APIs it has (the Rules API filtering by {@code match[]} selectors, parsed by the PromQL parser), its
   * calls counted in {@code metrics}.
   */
  Server startServer(StoreApi store, Executor executor, SelfMetrics metrics) throws IOException {
    List<BindableService> services = StoreServices.of(store, executor, PromqlParser::parseMetricSelector);
    InetSocketAddress address = parseAddress(grpcAddress);
    NettyServerBuilder b = NettyServerBuilder.forAddress(address, GrpcTls.server(serverTls())).executor(executor)
        .maxInboundMessageSize(64 << 20).compressorRegistry(GrpcCompression.compressors())
        .decompressorRegistry(GrpcCompression.decompressors()).intercept(metrics.grpcServer());
    for (BindableService s : services) {
      b.addService(s);
    }
    return b.build().start();
  }

  /** Opens channels to endpoints with the client TLS and compression flags, their calls counted in {@code metrics}. */
  Function<String, ManagedChannel> channels(Executor executor, SelfMetrics metrics) {
    if (!compression.equals("none") && !compression.equals(GrpcCompression.SNAPPY)) {
      throw new IllegalArgumentException("--grpc-compression must be none or snappy: " + compression);
    }
    TlsConfig tls = clientTls();
    try {
      var creds = GrpcTls.client(tls);
      return target -> {
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(target, creds).executor(executor)
            .maxInboundMessageSize(256 << 20).compressorRegistry(GrpcCompression.compressors())
            .decompressorRegistry(GrpcCompression.decompressors()).intercept(metrics.grpcClient());
        if (compression.equals(GrpcCompression.SNAPPY)) {
          b.intercept(GrpcCompression.compressWith(GrpcCompression.SNAPPY));
        }
        if (tls != null && tls.serverName() != null) {
          b.overrideAuthority(tls.serverName());
        }
        return b.build();
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static InetSocketAddress parseAddress(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("address must be host:port: " + hostPort);
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }
}
