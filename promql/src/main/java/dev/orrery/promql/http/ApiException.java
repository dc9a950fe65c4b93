package dev.orrery.promql.http;

import java.util.Objects;

/**
 * A request the API answers with an error body: {@code {"status":"error","errorType":...,"error":...}} and the
 * status code of its {@link ApiErrorType}. The message is sent verbatim, so it carries Prometheus' wording.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ApiErrorType type;

  /** Creates an error of {@code type} with the message sent to the client. */
  public ApiException(ApiErrorType type, String message) {
    super(Objects.requireNonNull(message, "message is null"));
    this.type = Objects.requireNonNull(type, "type is null");
  }

  /** Creates an error of {@code type} with the message sent to the client and the failure behind it. */
  public ApiException(ApiErrorType type, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message is null"), cause);
    this.type = Objects.requireNonNull(type, "type is null");
  }

  /** A {@code bad_data} error. */
  public static ApiException badData(String message) {
    return new ApiException(ApiErrorType.BAD_DATA, message);
  }

  /**
   * Prometheus' {@code invalidParamError}: {@code bad_data} with {@code invalid parameter "name": reason}.
   */
  public static ApiException invalidParameter(String parameter, String reason) {
    return new ApiException(ApiErrorType.BAD_DATA, "invalid parameter " + GoQuote.quote(parameter) + ": " + reason);
  }

  /** What kind of error this is. */
  public ApiErrorType type() {
    return type;
  }
}
