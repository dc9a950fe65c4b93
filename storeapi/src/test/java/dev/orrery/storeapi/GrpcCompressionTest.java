package dev.orrery.storeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.labels.Labels;
import dev.orrery.storeapi.local.QueryableStore;
import dev.orrery.storeapi.proto.thanos.LabelValuesRequest;
import dev.orrery.storeapi.proto.thanos.StoreGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Thanos' {@code snappy} gRPC message encoding: the framed format, and over a real Netty channel on loopback. */
class GrpcCompressionTest {
  static byte[] compress(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream s = GrpcCompression.SNAPPY_CODEC.compress(out)) {
      s.write(data);
    }
    return out.toByteArray();
  }

  static byte[] decompress(byte[] data) throws Exception {
    try (InputStream s = GrpcCompression.SNAPPY_CODEC.decompress(new ByteArrayInputStream(data))) {
      return s.readAllBytes();
    }
  }

  @Test
  void snappyIsTheFramedFormatWithChecksums() throws Exception {
    byte[] data = "series series series series series".repeat(100).getBytes(StandardCharsets.UTF_8);
    byte[] compressed = compress(data);
    // The stream identifier chunk, then data chunks.
    assertThat(HexFormat.of().formatHex(compressed, 0, 10)).isEqualTo("ff060000734e61507059");
    assertThat(compressed.length).isLessThan(data.length / 4);
    assertThat(decompress(compressed)).isEqualTo(data);
    // A stream written by hand: the identifier, then one uncompressed chunk (type 1) with the masked CRC32C of its
    // data, as any framed-snappy writer may send it.
    byte[] payload = "hello".getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(payload);
    int c = (int) crc.getValue();
    int masked = ((c >>> 15) | (c << 17)) + 0xa282ead8;
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(HexFormat.of().parseHex("ff060000734e61507059"));
    int length = 4 + payload.length;
    frame.write(new byte[] {1, (byte) length, (byte) (length >>> 8), (byte) (length >>> 16)});
    frame.write(new byte[] {(byte) masked, (byte) (masked >>> 8), (byte) (masked >>> 16), (byte) (masked >>> 24)});
    frame.write(payload);
    assertThat(decompress(frame.toByteArray())).isEqualTo(payload);
    // A wrong checksum is an error, not wrong data.
    byte[] corrupt = frame.toByteArray();
    corrupt[14] ^= 1;
    assertThatThrownBy(() -> decompress(corrupt)).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void serversAcceptSnappyRequestsAsThanosQueriersSendThem() throws Exception {
    QueryableStore store = new QueryableStore((mint, maxt) -> {
      throw new java.io.IOException("no data");
    }, Labels.of("cluster", "eu"), "rule");
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      Server with = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).executor(exec)
          .compressorRegistry(GrpcCompression.compressors()).decompressorRegistry(GrpcCompression.decompressors())
          .addServices(StoreServices.of(store, exec).stream().map(b -> b.bindService()).toList()).build().start();
      Server without = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).executor(exec)
          .addServices(StoreServices.of(store, exec).stream().map(b -> b.bindService()).toList()).build().start();
      ManagedChannel toWith = snappyChannel(with.getPort());
      ManagedChannel toWithout = snappyChannel(without.getPort());
      try {
        // Answered from the external labels alone.
        LabelValuesRequest request = LabelValuesRequest.newBuilder().setLabel("cluster").build();
        assertThat(StoreGrpc.newBlockingStub(toWith).labelValues(request).getValuesList()).containsExactly("eu");
        // The request really is compressed: a server without the decompressor refuses it.
        assertThatThrownBy(() -> StoreGrpc.newBlockingStub(toWithout).labelValues(request))
            .isInstanceOf(StatusRuntimeException.class)
            .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                .isEqualTo(Status.Code.UNIMPLEMENTED))
            .hasMessageContaining("snappy");
      } finally {
        toWith.shutdownNow();
        toWithout.shutdownNow();
        with.shutdownNow();
        without.shutdownNow();
      }
    }
  }

  static ManagedChannel snappyChannel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .compressorRegistry(GrpcCompression.compressors()).decompressorRegistry(GrpcCompression.decompressors())
        .intercept(GrpcCompression.compressWith(GrpcCompression.SNAPPY)).build();
  }
}
