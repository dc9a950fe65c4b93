package dev.orrery.storeapi.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import dev.orrery.core.index.Toc;
import dev.orrery.core.io.ByteSource;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.objstore.Bucket;
import dev.orrery.storeapi.gateway.IndexCache.Area;
import dev.orrery.storeapi.gateway.IndexCache.PageKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A block's remote {@code index} as a {@link ByteSource}, so that core's {@link dev.orrery.core.index.IndexReader}
 * reads it unchanged: the header, symbol table and postings offset table come from the local {@link IndexHeader}
 * (memory-mapped); postings lists and series entries come from the bucket through the byte-bounded page caches of
 * {@link IndexCache}, fetched as coalesced range reads ({@link #prefetch}). Thread-safe.
 */
final class BucketIndexSource implements ByteSource {
  private static final int PAGE = IndexCache.PAGE_BYTES;
  /** Pages between two needed ranges that are fetched anyway to save a round trip. */
  private static final int MAX_GAP_PAGES = 4;

  private final Bucket bucket;
  private final String key;
  private final String name;
  private final IndexHeader header;
  private final IndexCache cache;
  private final long size;
  private final Toc toc;

  BucketIndexSource(Bucket bucket, String key, IndexHeader header, IndexCache cache) {
    this.bucket = bucket;
    this.key = key;
    this.name = bucket.name() + ":" + key;
    this.header = header;
    this.cache = cache;
    this.size = header.indexSize();
    this.toc = header.toc();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public ByteBuffer read(long offset, int length) throws IOException {
    ByteSource.checkRange(name, size, offset, length);
    ByteBuffer local = header.readIndexRange(offset, length);
    if (local != null) {
      return local;
    }
    if (length == 0) {
      return ByteBuffer.allocate(0).asReadOnlyBuffer();
    }
    Area area = areaOf(offset);
    long p0 = offset / PAGE;
    long p1 = (offset + length - 1) / PAGE;
    RequestStats stats = RequestStats.current();
    if (p0 == p1) {
      byte[] page = page(area, p0, stats);
      int at = (int) (offset - p0 * PAGE);
      if (at + length > page.length) {
        throw new CorruptBlockException(name, offset, "short page: " + page.length + " bytes at page " + p0);
      }
      stats.touched(area, length);
      return ByteBuffer.wrap(page, at, length).slice().asReadOnlyBuffer();
    }
    byte[][] pages = pages(area, p0, p1, stats);
    byte[] out = new byte[length];
    int written = 0;
    for (long p = p0; p <= p1; p++) {
      byte[] page = pages[(int) (p - p0)];
      int from = p == p0 ? (int) (offset - p0 * PAGE) : 0;
      int n = Math.min(page.length - from, length - written);
      if (n <= 0) {
        throw new CorruptBlockException(name, offset, "short page: " + page.length + " bytes at page " + p);
      }
      System.arraycopy(page, from, out, written, n);
      written += n;
    }
    stats.touched(area, length);
    return ByteBuffer.wrap(out).asReadOnlyBuffer();
  }

  private Area areaOf(long offset) {
    return offset >= toc.series() && offset < toc.labelIndices() ? Area.SERIES : Area.POSTINGS;
  }

  private byte[] page(Area area, long p, RequestStats stats) throws IOException {
    Cache<PageKey, byte[]> c = cache.cache(area);
    PageKey k = new PageKey(key, p);
    byte[] page = c.getIfPresent(k);
    if (page != null) {
      cache.recordHit(area);
      return page;
    }
    cache.recordMiss(area);
    return fetch(area, p, p, stats)[0];
  }

  private byte[][] pages(Area area, long p0, long p1, RequestStats stats) throws IOException {
    Cache<PageKey, byte[]> c = cache.cache(area);
    byte[][] out = new byte[(int) (p1 - p0 + 1)][];
    long missingFrom = -1;
    for (long p = p0; p <= p1; p++) {
      byte[] page = c.getIfPresent(new PageKey(key, p));
      if (page != null) {
        cache.recordHit(area);
        out[(int) (p - p0)] = page;
        if (missingFrom >= 0) {
          fillFrom(fetch(area, missingFrom, p - 1, stats), out, missingFrom - p0);
          missingFrom = -1;
        }
      } else {
        cache.recordMiss(area);
        if (missingFrom < 0) {
          missingFrom = p;
        }
      }
    }
    if (missingFrom >= 0) {
      fillFrom(fetch(area, missingFrom, p1, stats), out, missingFrom - p0);
    }
    return out;
  }

  private static void fillFrom(byte[][] fetched, byte[][] out, long at) {
    System.arraycopy(fetched, 0, out, (int) at, fetched.length);
  }

  /** Reads pages {@code [p0, p1]} with one range read and caches them. */
  private byte[][] fetch(Area area, long p0, long p1, RequestStats stats) throws IOException {
    long from = p0 * PAGE;
    long to = Math.min(size, (p1 + 1) * PAGE);
    int len = (int) (to - from);
    byte[] buf;
    try (InputStream in = bucket.getRange(key, from, len)) {
      buf = in.readNBytes(len);
    }
    if (buf.length != len) {
      throw new CorruptBlockException(name, from, "short read: wanted " + len + " bytes, got " + buf.length);
    }
    stats.fetched(area, len);
    Cache<PageKey, byte[]> c = cache.cache(area);
    byte[][] pages = new byte[(int) (p1 - p0 + 1)][];
    for (int i = 0; i < pages.length; i++) {
      int at = i * PAGE;
      byte[] page = new byte[Math.min(PAGE, len - at)];
      System.arraycopy(buf, at, page, 0, page.length);
      pages[i] = page;
      c.put(new PageKey(key, p0 + i), page);
    }
    return pages;
  }

  /**
   * Loads into the cache the pages of {@code [offsets[i], offsets[i] + estimateBytes)} for each {@code i < n}
   * ({@code offsets} ascending), with one range read per run of missing pages (gaps of a few pages are read too).
   */
  void prefetch(Area area, long[] offsets, int n, int estimateBytes) throws IOException {
    Cache<PageKey, byte[]> c = cache.cache(area);
    RequestStats stats = RequestStats.current();
    long runFrom = -1;
    long runTo = -1;
    long lastPage = -1;
    for (int i = 0; i < n; i++) {
      long off = offsets[i];
      long p0 = Math.max(off / PAGE, lastPage + 1);
      long p1 = Math.min(size - 1, off + estimateBytes - 1) / PAGE;
      for (long p = p0; p <= p1; p++) {
        lastPage = p;
        if (c.getIfPresent(new PageKey(key, p)) != null) {
          continue;
        }
        if (runFrom >= 0 && p - runTo <= MAX_GAP_PAGES + 1) {
          runTo = p;
        } else {
          if (runFrom >= 0) {
            fetch(area, runFrom, runTo, stats);
          }
          runFrom = p;
          runTo = p;
        }
      }
    }
    if (runFrom >= 0) {
      fetch(area, runFrom, runTo, stats);
    }
  }

  @Override
  public void close() {
    cache.invalidate(key);
  }
}
