package dev.orrery.storeapi.gateway;

import dev.orrery.storeapi.gateway.IndexCache.Area;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one {@code Series} request touched and fetched, checked against the request's byte limit as it grows. The
 * index source reports into the stats of the request its thread works for ({@link #bind}); thread-safe, since the
 * blocks of one request may be read on several threads.
 */
final class RequestStats {
  private static final RequestStats DISCARD = new RequestStats(0);
  private static final ThreadLocal<RequestStats> CURRENT = new ThreadLocal<>();

  private final long maxBytes;
  final AtomicLong postingsTouchedBytes = new AtomicLong();
  final AtomicLong seriesTouchedBytes = new AtomicLong();
  final AtomicLong postingsFetchedBytes = new AtomicLong();
  final AtomicLong seriesFetchedBytes = new AtomicLong();
  final AtomicLong chunksFetchedBytes = new AtomicLong();
  final AtomicLong chunksTouchedBytes = new AtomicLong();
  final AtomicLong fetchCount = new AtomicLong();
  private final AtomicLong total = new AtomicLong();

  /** Stats with a byte limit ({@code 0} = unlimited). */
  RequestStats(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The stats bound to this thread, or a sink that discards (outside a request, e.g. label calls). */
  static RequestStats current() {
    RequestStats s = CURRENT.get();
    return s == null ? DISCARD : s;
  }

  /** Binds these stats to the calling thread until the returned scope is closed. */
  Scope bind() {
    RequestStats previous = CURRENT.get();
    CURRENT.set(this);
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /** Undoes a {@link #bind}. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  void touched(Area area, long bytes) {
    if (this == DISCARD) {
      return;
    }
    (area == Area.POSTINGS ? postingsTouchedBytes : seriesTouchedBytes).addAndGet(bytes);
    add(bytes);
  }

  void fetched(Area area, long bytes) {
    if (this == DISCARD) {
      return;
    }
    fetchCount.incrementAndGet();
    (area == Area.POSTINGS ? postingsFetchedBytes : seriesFetchedBytes).addAndGet(bytes);
  }

  void chunksFetched(long bytes) {
    if (this == DISCARD) {
      return;
    }
    fetchCount.incrementAndGet();
    chunksFetchedBytes.addAndGet(bytes);
  }

  void chunksTouched(long bytes) {
    if (this == DISCARD) {
      return;
    }
    chunksTouchedBytes.addAndGet(bytes);
    add(bytes);
  }

  private void add(long bytes) {
    long now = total.addAndGet(bytes);
    if (maxBytes > 0 && now > maxBytes) {
      throw new LimitExceededException("bytes", maxBytes, now, " bytes touched in postings, series and chunks");
    }
  }

  /** Bytes touched so far (postings, series and chunks). */
  long totalTouched() {
    return total.get();
  }
}
