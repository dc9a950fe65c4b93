package dev.orrery.promql.engine;

/**
 * A query that could not be evaluated. The {@link ErrorType} is the one Prometheus' HTTP API reports
 * ({@code bad_data}, {@code execution}, {@code timeout}, {@code canceled}); the message uses Prometheus' wording so the
 * API can return it verbatim.
 */
public class QueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorType type;

  /** Creates an exception of {@code type} with {@code message}. */
  public QueryException(ErrorType type, String message) {
    super(message);
    this.type = type;
  }

  /** Creates an exception of {@code type} with {@code message} and {@code cause}. */
  public QueryException(ErrorType type, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
  }

  /** What kind of failure this is. */
  public ErrorType type() {
    return type;
  }

  /** A failure during evaluation (Prometheus' {@code execution} error type). */
  public static QueryException execution(String message) {
    return new QueryException(ErrorType.EXECUTION, message);
  }

  /** A malformed query or parameter (Prometheus' {@code bad_data} error type). */
  public static QueryException badData(String message) {
    return new QueryException(ErrorType.BAD_DATA, message);
  }

  /** Error types of Prometheus' HTTP API, as far as the engine produces them. */
  public enum ErrorType {
    /** The query or a parameter is malformed: HTTP 400. */
    BAD_DATA("bad_data"),
    /** Evaluation failed, e.g. a limit was exceeded or a vector had duplicate label sets: HTTP 422. */
    EXECUTION("execution"),
    /** The query ran longer than its timeout: HTTP 503. */
    TIMEOUT("timeout"),
    /** The caller cancelled the query: HTTP 503. */
    CANCELED("canceled"),
    /** Reading from storage failed: HTTP 500. */
    INTERNAL("internal");

    private final String apiName;

    ErrorType(String apiName) {
      this.apiName = apiName;
    }

    /** The name the HTTP API uses in {@code errorType}. */
    public String apiName() {
      return apiName;
    }
  }
}
