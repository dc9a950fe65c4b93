package dev.orrery.storeapi.gateway;

/**
 * Per-request limits of a store gateway; {@code 0} means unlimited. A request that exceeds one fails with {@code
 * RESOURCE_EXHAUSTED} and a message naming the limit, its value and what was reached.
 *
 * @param maxSeries series a request may return
 * @param maxChunks chunks a request may return
 * @param maxBytes bytes of postings, series entries and chunks a request may touch
 * @param maxConcurrency {@code Series} requests served at once; more wait for a free slot
 */
public record StoreLimits(long maxSeries, long maxChunks, long maxBytes, int maxConcurrency) {
  /** Checks the values. */
  public StoreLimits {
    if (maxSeries < 0 || maxChunks < 0 || maxBytes < 0 || maxConcurrency < 0) {
      throw new IllegalArgumentException("limits must be >= 0");
    }
  }

  /** No limits; 20 concurrent requests (Thanos' default {@code --store.grpc.series-max-concurrency}). */
  public static StoreLimits unlimited() {
    return new StoreLimits(0, 0, 0, 20);
  }
}
