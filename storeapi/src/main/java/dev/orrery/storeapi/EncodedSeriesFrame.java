package dev.orrery.storeapi;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import java.util.Objects;

/**
 * A {@code thanos.SeriesResponse} message already encoded in protobuf wire format: {@code bytes[offset, offset +
 * length)}. Stores that build frames straight from index and chunk bytes send these instead of message objects, so
 * chunk bytes are copied once, into the frame, and no per-chunk objects are made. Immutable once handed to a sink.
 *
 * @param bytes the buffer holding the message
 * @param offset where the message starts
 * @param length the message's length in bytes
 */
public record EncodedSeriesFrame(byte[] bytes, int offset, int length) {
  /** Checks the range. */
  public EncodedSeriesFrame {
    requireNonNull(bytes, "bytes is null");
    Objects.checkFromIndexSize(offset, length, bytes.length);
  }

  /**
   * Decodes the message (for sinks that want objects, and for tests).
   *
   * @throws OrreryException with {@code CORRUPT_DATA} if the bytes are not a valid message (a bug in the encoder)
   */
  public SeriesResponse decode() {
    try {
      return SeriesResponse.parseFrom(com.google.protobuf.CodedInputStream.newInstance(bytes, offset, length));
    } catch (InvalidProtocolBufferException e) {
      throw new OrreryException(ErrorCode.CORRUPT_DATA, "encoded Series frame does not parse: " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new OrreryException(ErrorCode.CORRUPT_DATA, "encoded Series frame does not parse: " + e.getMessage(), e);
    }
  }
}
