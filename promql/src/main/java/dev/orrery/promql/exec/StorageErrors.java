package dev.orrery.promql.exec;

import dev.orrery.core.OrreryException;
import dev.orrery.promql.engine.QueryException;

/** Maps storage failures ({@link OrreryException}) onto the engine's error types. */
public final class StorageErrors {
  private StorageErrors() {}

  /** The query error for a storage failure. */
  public static QueryException toQueryException(OrreryException e) {
    QueryException.ErrorType type = switch (e.code()) {
      case TIMEOUT -> QueryException.ErrorType.TIMEOUT;
      case CANCELLED -> QueryException.ErrorType.CANCELED;
      case BAD_QUERY -> QueryException.ErrorType.BAD_DATA;
      case LIMIT_EXCEEDED -> QueryException.ErrorType.EXECUTION;
      case CORRUPT_DATA, STORAGE, UNSUPPORTED -> QueryException.ErrorType.INTERNAL;
    };
    return new QueryException(type, e.getMessage(), e);
  }
}
