package dev.orrery.storeapi;

import dev.orrery.storeapi.proto.thanos.SeriesResponse;

/**
 * Receives the frames of one {@code Series} call. {@link #send} blocks while the receiver is not ready (flow
 * control), so a store never holds more than a few frames of a response. Confined to the thread serving the call.
 */
@FunctionalInterface
public interface SeriesSink {
  /**
   * Sends one frame.
   *
   * @throws dev.orrery.core.OrreryException with code {@code CANCELLED} when the receiver has gone away
   */
  void send(SeriesResponse response);

  /**
   * Sends one frame that is already encoded; the sink owns the frame afterwards (transports may read its bytes after
   * this call returns, as gRPC's in-process transport does). The default decodes it and calls {@link
   * #send(SeriesResponse)}; the gRPC binding hands the bytes to the transport unchanged.
   *
   * @throws dev.orrery.core.OrreryException with code {@code CANCELLED} when the receiver has gone away
   */
  default void send(EncodedSeriesFrame frame) {
    send(frame.decode());
  }

  /**
   * Whether the receiver has gone away (its call was cancelled or its deadline passed). A store checks it while the
   * request waits to start, so that a request nobody waits for any more gives up its place instead of being served.
   */
  default boolean isCancelled() {
    return false;
  }
}
