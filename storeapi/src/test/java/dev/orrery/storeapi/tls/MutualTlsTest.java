package dev.orrery.storeapi.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.objstore.InMemoryBucket;
import dev.orrery.storeapi.StoreServices;
import dev.orrery.storeapi.gateway.BucketStore;
import dev.orrery.storeapi.proto.info.InfoGrpc;
import dev.orrery.storeapi.proto.info.InfoRequest;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MutualTlsTest {
  @TempDir Path dir;
  ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
  Server server;
  BucketStore store;
  TestCertificates.Ca ca;
  TestCertificates.Ca otherCa;
  TestCertificates.Issued client;
  TestCertificates.Issued strangerClient;
  Path serverClientCa;

  @BeforeEach
  void setUp() throws Exception {
    ca = TestCertificates.ca(dir, "orrery-test");
    otherCa = TestCertificates.ca(dir, "other");
    TestCertificates.Issued serverCert = TestCertificates.issue(ca, dir, "store");
    client = TestCertificates.issue(ca, dir, "querier");
    strangerClient = TestCertificates.issue(otherCa, dir, "stranger");
    serverClientCa = dir.resolve("client-ca.pem");
    Files.copy(ca.certFile(), serverClientCa);
    store = BucketStore.builder(new InMemoryBucket(), dir.resolve("data")).build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
            GrpcTls.server(new TlsConfig(serverCert.certFile(), serverCert.keyFile(), serverClientCa, null)))
        .executor(exec)
        .addServices(StoreServices.of(store, exec).stream().map(s -> s.bindService()).toList())
        .build().start();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    store.close();
    exec.close();
  }

  String info(TlsConfig clientConfig) throws Exception {
    ChannelCredentials creds = GrpcTls.client(clientConfig);
    ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), creds).executor(exec).build();
    try {
      return InfoGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).info(InfoRequest
          .getDefaultInstance()).getComponentType();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void clientWithCertificateFromTheCaIsServed() throws Exception {
    assertThat(info(new TlsConfig(client.certFile(), client.keyFile(), ca.certFile(), null))).isEqualTo("store");
  }

  @Test
  void clientWithoutCertificateIsRefused() {
    assertThatThrownBy(() -> info(new TlsConfig(null, null, ca.certFile(), null)))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void clientWithCertificateFromAnotherCaIsRefused() {
    assertThatThrownBy(() -> info(new TlsConfig(strangerClient.certFile(), strangerClient.keyFile(), ca.certFile(),
        null))).isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void plaintextClientIsRefused() {
    assertThatThrownBy(() -> info(null)).isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void clientRefusesAServerFromAnotherCa() {
    assertThatThrownBy(() -> info(new TlsConfig(client.certFile(), client.keyFile(), otherCa.certFile(), null)))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void rotatedClientCaIsReloadedFromDisk() throws Exception {
    TlsConfig stranger = new TlsConfig(strangerClient.certFile(), strangerClient.keyFile(), ca.certFile(), null);
    assertThatThrownBy(() -> info(stranger)).isInstanceOf(StatusRuntimeException.class);
    Path staged = dir.resolve("staged.pem");
    Files.copy(otherCa.certFile(), staged);
    Files.move(staged, serverClientCa, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.setLastModifiedTime(serverClientCa, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() + 10_000));
    Thread.sleep(1100);
    assertThat(info(stranger)).isEqualTo("store");
    assertThatThrownBy(() -> info(new TlsConfig(client.certFile(), client.keyFile(), ca.certFile(), null)))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void rotatedServerCertificateIsReloadedFromDisk() throws Exception {
    // Re-issue the server certificate from the other CA: a client trusting only the first CA now refuses it.
    TestCertificates.Issued replacement = TestCertificates.issue(otherCa, dir, "store-next");
    Files.copy(replacement.certFile(), dir.resolve("store.pem"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(replacement.keyFile(), dir.resolve("store-key.pem"), StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(dir.resolve("store.pem"), java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() + 10_000));
    Thread.sleep(1100);
    assertThatThrownBy(() -> info(new TlsConfig(client.certFile(), client.keyFile(), ca.certFile(), null)))
        .isInstanceOf(StatusRuntimeException.class);
    assertThat(info(new TlsConfig(client.certFile(), client.keyFile(), otherCa.certFile(), null)))
        .isEqualTo("store");
  }
}
