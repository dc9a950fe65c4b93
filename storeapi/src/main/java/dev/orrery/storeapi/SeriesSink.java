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
}
