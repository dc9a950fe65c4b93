package dev.orrery.promql.exec;

import dev.orrery.core.OrreryException;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import dev.orrery.promql.engine.Annotations;
import dev.orrery.promql.engine.QueryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every operator of one query shares: the storage, the lookback delta, the annotations raised so far, the sample
 * budget, the deadline, the cancellation flag and the executor for concurrent operators. Queriers it opens are closed
 * with it. Thread-safe, since concurrent operators run parts of a query on other threads.
 */
public final class QueryContext implements AutoCloseable {
  private final Queryable queryable;
  private final long lookbackDeltaMillis;
  private final long maxSamples;
  private final long deadlineNanos;
  private final long defaultSubqueryStepMillis;
  private final boolean useStartTimestamps;
  private final Annotations annotations = Annotations.create();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final List<Querier> queriers = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final java.util.concurrent.Executor executor;
  private final long maxSeries;
  private long selectedSeries;
  private long currentSamples;
  private long peakSamples;

  /** A context; {@code deadlineNanos} is a {@link System#nanoTime()} value, {@code Long.MAX_VALUE} for none. */
  public QueryContext(Queryable queryable, long lookbackDeltaMillis, long maxSamples, long deadlineNanos,
      long defaultSubqueryStepMillis, boolean useStartTimestamps, java.util.concurrent.Executor executor,
      long maxSeries) {
    this.maxSeries = maxSeries;
    this.useStartTimestamps = useStartTimestamps;
    this.executor = executor;
    this.queryable = queryable;
    this.lookbackDeltaMillis = lookbackDeltaMillis;
    this.maxSamples = maxSamples;
    this.deadlineNanos = deadlineNanos;
    this.defaultSubqueryStepMillis = defaultSubqueryStepMillis;
  }

  /** The lookback delta for instant selectors. */
  public long lookbackDeltaMillis() {
    return lookbackDeltaMillis;
  }

  /** The subquery step used when a subquery names none. */
  public long defaultSubqueryStepMillis() {
    return defaultSubqueryStepMillis;
  }

  /** The executor for concurrent operators, or null when the query runs on its own thread only. */
  public java.util.concurrent.Executor executor() {
    return executor;
  }

  /** Registers something to close (before the queriers) when the query is closed. */
  public synchronized void register(AutoCloseable c) {
    closeables.add(c);
  }

  /** Whether sample start timestamps are read and used. */
  public boolean useStartTimestamps() {
    return useStartTimestamps;
  }

  /** Annotations of this query. */
  public Annotations annotations() {
    return annotations;
  }

  /** Opens a querier over {@code [mint, maxt]}, closed when the query is. */
  public synchronized Querier querier(long mint, long maxt) {
    try {
      Querier q = queryable.querier(mint, maxt);
      queriers.add(q);
      return q;
    } catch (IOException e) {
      throw new QueryException(QueryException.ErrorType.INTERNAL, "opening querier: " + e.getMessage(), e);
    } catch (OrreryException e) {
      throw StorageErrors.toQueryException(e);
    }
  }

  /** Requests cancellation; the query stops at its next check. Thread-safe. */
  public void cancel() {
    cancelled.set(true);
  }

  /** Throws when the query was cancelled or ran past its deadline; operators call it once per batch. */
  public void checkInterrupted() {
    if (cancelled.get()) {
      throw new QueryException(QueryException.ErrorType.CANCELED, "query was canceled in query execution");
    }
    if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
      throw new QueryException(QueryException.ErrorType.TIMEOUT, "query timed out in query execution");
    }
  }

  /** Accounts {@code n} more samples held in memory; fails past the limit with Prometheus' message. */
  public synchronized void addSamples(long n) {
    currentSamples += n;
    if (currentSamples > peakSamples) {
      peakSamples = currentSamples;
    }
    if (maxSamples > 0 && currentSamples > maxSamples) {
      throw QueryException.execution("query processing would load too many samples into memory in query execution");
    }
  }

  /** Accounts {@code n} more series selected from storage; fails past the series limit. */
  public synchronized void addSeries(long n) {
    selectedSeries += n;
    if (maxSeries > 0 && selectedSeries > maxSeries) {
      throw QueryException.execution("query would select more than " + maxSeries + " series in query execution");
    }
  }

  /** Releases {@code n} samples from the accounting. */
  public synchronized void releaseSamples(long n) {
    currentSamples -= n;
  }

  /** The most samples held at once so far. */
  public synchronized long peakSamples() {
    return peakSamples;
  }

  @Override
  public synchronized void close() {
    RuntimeException first = null;
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // A thread boundary: the query is being torn down; report the first failure.
        RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
        if (first == null) {
          first = r;
        } else {
          first.addSuppressed(r);
        }
      }
    }
    closeables.clear();
    for (Querier q : queriers) {
      try {
        q.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    queriers.clear();
    if (first != null) {
      throw first;
    }
  }
}
