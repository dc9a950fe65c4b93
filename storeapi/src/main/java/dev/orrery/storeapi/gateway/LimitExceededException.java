package dev.orrery.storeapi.gateway;

import dev.orrery.core.OrreryException;

/**
 * A {@code Series} request went over one of the store's {@link StoreLimits}: {@code LIMIT_EXCEEDED}, with the limit
 * named in the message and in {@link #reason()}.
 */
final class LimitExceededException extends OrreryException {
  private final String reason;

  /**
   * @param reason what was limited: {@code series}, {@code chunks} or {@code bytes}
   * @param limit the limit
   * @param got what the request reached
   * @param what how {@code got} is counted, for the message
   */
  LimitExceededException(String reason, long limit, long got, String what) {
    super(ErrorCode.LIMIT_EXCEEDED, "exceeded " + reason + " limit: limit " + limit + " violated (got " + got + what
        + ")");
    this.reason = reason;
  }

  /** {@code series}, {@code chunks} or {@code bytes}. */
  String reason() {
    return reason;
  }
}
