package dev.orrery.promql.http;

/**
 * The {@code errorType} values of Prometheus' HTTP API, each with the HTTP status code Prometheus 3.x answers it with
 * ({@code respondError} in {@code web/api/v1/api.go}).
 */
public enum ApiErrorType {
  /** A malformed parameter or query: 400. */
  BAD_DATA("bad_data", 400),
  /** Evaluation failed (limits, duplicate series, ...): 422. */
  EXECUTION("execution", 422),
  /** The client went away or cancelled the query: 499, nginx' "client closed request", as Prometheus 3.x. */
  CANCELED("canceled", 499),
  /** The query ran past its timeout: 503. */
  TIMEOUT("timeout", 503),
  /** Storage or an unexpected failure: 500. */
  INTERNAL("internal", 500),
  /** No such endpoint: 404. */
  NOT_FOUND("not_found", 404),
  /** The storage is not ready yet: 503. */
  UNAVAILABLE("unavailable", 503);

  private final String apiName;
  private final int httpStatus;

  ApiErrorType(String apiName, int httpStatus) {
    this.apiName = apiName;
    this.httpStatus = httpStatus;
  }

  /** The value of the {@code errorType} field, e.g. {@code bad_data}. */
  public String apiName() {
    return apiName;
  }

  /** The HTTP status code of a response with this error. */
  public int httpStatus() {
    return httpStatus;
  }
}
