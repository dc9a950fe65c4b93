package dev.orrery.storeapi.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.LongAdder;

/**
 * The store gateway's caches of remote index bytes, bounded in bytes (Caffeine with a byte weigher): one for the
 * postings area and one for the series area of every block's {@code index}. Both hold fixed-size, aligned pages of
 * the remote object ({@value #PAGE_BYTES} bytes), so a postings list or a series entry costs one range read on a miss
 * and none on a hit, and neighbouring series share pages. A capacity of 0 disables a cache. Thread-safe; shared by
 * all blocks of a store.
 */
public final class IndexCache {
  /** Size of a cached page. */
  public static final int PAGE_BYTES = 16 * 1024;

  /** Which area of the index a page belongs to. */
  public enum Area {
    /** Postings lists. */
    POSTINGS,
    /** Series entries. */
    SERIES
  }

  record PageKey(String object, long page) {}

  private final Cache<PageKey, byte[]> postings;
  private final Cache<PageKey, byte[]> series;
  private final long[] capacity = new long[2];
  /** Per {@link Area}, by ordinal. */
  private final LongAdder[] hits = {new LongAdder(), new LongAdder()};
  private final LongAdder[] misses = {new LongAdder(), new LongAdder()};

  /**
   * Creates the caches.
   *
   * @param postingsBytes capacity of the postings cache in bytes, 0 for none
   * @param seriesBytes capacity of the series cache in bytes, 0 for none
   */
  public IndexCache(long postingsBytes, long seriesBytes) {
    if (postingsBytes < 0 || seriesBytes < 0) {
      throw new IllegalArgumentException("cache sizes must be >= 0: " + postingsBytes + ", " + seriesBytes);
    }
    this.postings = build(postingsBytes);
    this.series = build(seriesBytes);
    capacity[Area.POSTINGS.ordinal()] = postingsBytes;
    capacity[Area.SERIES.ordinal()] = seriesBytes;
  }

  private static Cache<PageKey, byte[]> build(long bytes) {
    return Caffeine.newBuilder()
        .maximumWeight(bytes)
        .weigher((PageKey k, byte[] v) -> v.length + 64 + k.object().length())
        .executor(Runnable::run)
        .build();
  }

  Cache<PageKey, byte[]> cache(Area area) {
    return area == Area.POSTINGS ? postings : series;
  }

  void recordHit(Area area) {
    hits[area.ordinal()].increment();
  }

  void recordMiss(Area area) {
    misses[area.ordinal()].increment();
  }

  /** Page lookups served from the caches so far. */
  public long hits() {
    return hits(Area.POSTINGS) + hits(Area.SERIES);
  }

  /** Page lookups that went to the bucket so far. */
  public long misses() {
    return misses(Area.POSTINGS) + misses(Area.SERIES);
  }

  /** Page lookups in {@code area}'s cache that it served. */
  public long hits(Area area) {
    return hits[area.ordinal()].sum();
  }

  /** Page lookups in {@code area}'s cache that went to the bucket. */
  public long misses(Area area) {
    return misses[area.ordinal()].sum();
  }

  /** Pages held in {@code area}'s cache (approximate). */
  public long pages(Area area) {
    return cache(area).estimatedSize();
  }

  /** Capacity of {@code area}'s cache in bytes. */
  public long capacity(Area area) {
    return capacity[area.ordinal()];
  }

  /** Bytes currently held by both caches (approximate: includes key overhead). */
  public long weightedSize() {
    return weightedSize(Area.POSTINGS) + weightedSize(Area.SERIES);
  }

  /** Bytes currently held by {@code area}'s cache (approximate: includes key overhead). */
  public long weightedSize(Area area) {
    return cache(area).policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  /** Drops every cached page of {@code object} (when its block is removed). */
  void invalidate(String object) {
    postings.asMap().keySet().removeIf(k -> k.object().equals(object));
    series.asMap().keySet().removeIf(k -> k.object().equals(object));
  }
}
