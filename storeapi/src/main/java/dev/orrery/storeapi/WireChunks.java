package dev.orrery.storeapi;

import com.google.protobuf.ByteString;
import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.FloatHistogramAppender;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.Chunk;

/** Conversions between StoreAPI chunks and {@code core} chunks (FORMATS.md 8.2: wire types are TSDB numbers − 1). */
public final class WireChunks {
  private WireChunks() {}

  /**
   * The core chunk for a wire chunk; its bytes are a view of the message's bytes.
   *
   * @throws OrreryException with {@code UNSUPPORTED} for an unknown wire encoding
   */
  public static dev.orrery.core.chunk.Chunk toChunk(Chunk chunk, String resource) {
    ChunkEncoding enc = switch (chunk.getTypeValue()) {
      case 0 -> ChunkEncoding.XOR;
      case 1 -> ChunkEncoding.HISTOGRAM;
      case 2 -> ChunkEncoding.FLOAT_HISTOGRAM;
      default -> throw new OrreryException(ErrorCode.UNSUPPORTED, "unknown StoreAPI chunk encoding "
          + chunk.getTypeValue() + " from " + resource);
    };
    return dev.orrery.core.chunk.Chunk.of(enc, chunk.getData().asReadOnlyByteBuffer(), resource, -1);
  }

  /** The XOR chunk an appender holds, as a wire chunk with its time range (the appender's bytes are copied). */
  public static AggrChunk xor(XorAppender app) {
    return raw(Chunk.Encoding.XOR, app.bytes(), app.minTimeMillis(), app.maxTimeMillis());
  }

  /** The float histogram chunk an appender holds, as a wire chunk with its time range (bytes copied). */
  public static AggrChunk floatHistogram(FloatHistogramAppender app) {
    return raw(Chunk.Encoding.FLOAT_HISTOGRAM, app.bytes(), app.minTimeMillis(), app.maxTimeMillis());
  }

  private static AggrChunk raw(Chunk.Encoding type, byte[] data, long minTime, long maxTime) {
    return AggrChunk.newBuilder().setMinTime(minTime).setMaxTime(maxTime)
        .setRaw(Chunk.newBuilder().setType(type).setData(ByteString.copyFrom(data))).build();
  }

  /** The wire type for a TSDB chunk encoding, or {@code null} when it has none (XOR2, ST variants, AGGR). */
  public static Chunk.Encoding wireType(ChunkEncoding encoding) {
    return switch (encoding) {
      case XOR -> Chunk.Encoding.XOR;
      case HISTOGRAM -> Chunk.Encoding.HISTOGRAM;
      case FLOAT_HISTOGRAM -> Chunk.Encoding.FLOAT_HISTOGRAM;
      case XOR2, HISTOGRAM_ST, FLOAT_HISTOGRAM_ST, AGGR -> null;
    };
  }
}
