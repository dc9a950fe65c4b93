package dev.orrery.storeapi;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.snappy.FramedSnappyCompressorInputStream;
import org.apache.commons.compress.compressors.snappy.FramedSnappyCompressorOutputStream;
import org.apache.commons.compress.compressors.snappy.FramedSnappyDialect;

/**
 * gRPC message compression as Thanos uses it (FORMATS.md 8.1): the {@code snappy} message encoding, in Snappy's
 * framed (stream) format with masked CRC32C checksums, which a Thanos querier sends with {@code
 * --grpc-compression=snappy}. Servers take the registries here so that such requests are understood (without them
 * gRPC refuses the call as {@code UNIMPLEMENTED}); clients add {@link #compressWith} to send compressed requests.
 * {@code identity} and {@code gzip} keep working.
 */
public final class GrpcCompression {
  /** The message encoding name Thanos uses. */
  public static final String SNAPPY = "snappy";

  /** Snappy's framed format; Commons Compress checks every chunk's CRC when reading. */
  static final Codec SNAPPY_CODEC = new Codec() {
    @Override
    public String getMessageEncoding() {
      return SNAPPY;
    }

    @Override
    public OutputStream compress(OutputStream os) throws IOException {
      return new FramedSnappyCompressorOutputStream(os);
    }

    @Override
    public InputStream decompress(InputStream is) throws IOException {
      return new FramedSnappyCompressorInputStream(is, FramedSnappyDialect.STANDARD);
    }
  };

  private GrpcCompression() {}

  /** The default decompressors (gzip, identity) plus {@code snappy}, advertised to peers. */
  public static DecompressorRegistry decompressors() {
    return DecompressorRegistry.getDefaultInstance().with(SNAPPY_CODEC, true);
  }

  /** Compressors for identity, gzip and {@code snappy}; a new registry, the global default is left as it is. */
  public static CompressorRegistry compressors() {
    CompressorRegistry registry = CompressorRegistry.newEmptyInstance();
    registry.register(Codec.Identity.NONE);
    registry.register(new Codec.Gzip());
    registry.register(SNAPPY_CODEC);
    return registry;
  }

  /**
   * An interceptor that compresses every request with {@code encoding} (a name the channel's {@link #compressors()}
   * knows, e.g. {@link #SNAPPY}).
   */
  public static ClientInterceptor compressWith(String encoding) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return next.newCall(method, options.withCompression(encoding));
      }
    };
  }
}
