package dev.orrery.objstore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * Keeps small objects, and small byte ranges of objects, in a Caffeine cache bounded by bytes: {@code meta.json}
 * files, deletion marks, index-header ranges. Only keys accepted by the {@link Builder#cacheable cacheable} predicate
 * are cached, and only when they are no larger than {@link Builder#maxObjectBytes}.
 *
 * <p><b>The cached objects must be immutable</b>, as everything in Thanos' block layout is once written: the cache
 * does not notice changes made by anyone else. Uploads and deletions through this wrapper drop the key's entries.
 * {@code exists}, {@code attributes} and {@code iterate} are never cached.
 *
 * <p>A range read is answered from the whole object when that is cached; otherwise the range itself is cached under
 * its (key, offset, length). A range to the end ({@code length == -1}) is cached only through the whole object.
 *
 * <p>Thread-safe. Cache maintenance runs on the executor given to the builder (default: the calling thread), so
 * the wrapper starts no threads. Owns the delegate.
 */
public final class CachingBucket extends ForwardingBucket {
  /** A cached whole object ({@code offset == -1}) or range. */
  private record CacheKey(String key, long offset, long length) {}

  private final Cache<CacheKey, byte[]> cache;
  private final Predicate<String> cacheable;
  private final int maxObjectBytes;

  private CachingBucket(Builder builder) {
    super(builder.delegate);
    this.cacheable = builder.cacheable;
    this.maxObjectBytes = builder.maxObjectBytes;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(builder.maxBytes)
        // Payload plus a rough per-entry overhead (key string, record, node), so that many tiny entries cannot
        // exceed the bound by much.
        .weigher((CacheKey key, byte[] value) -> value.length + 64 + 2 * key.key().length())
        .executor(builder.executor)
        .recordStats()
        .build();
  }

  /**
   * Starts a builder with the defaults: 64 MiB in all, objects up to 1 MiB, every key cacheable.
   *
   * @param delegate the bucket to cache; owned by the built bucket
   * @return the builder
   */
  public static Builder builder(Bucket delegate) {
    return new Builder(delegate);
  }

  /** Returns hit, miss and eviction counts. */
  public CacheStats stats() {
    return cache.stats();
  }

  /** Returns the cache's current weight in bytes (approximate). */
  public long weightBytes() {
    return cache.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
  }

  @Override
  public InputStream get(String key) throws IOException {
    if (!cacheable.test(key)) {
      return delegate.get(key);
    }
    CacheKey whole = new CacheKey(key, -1, -1);
    byte[] cached = cache.getIfPresent(whole);
    if (cached != null) {
      return new ByteArrayInputStream(cached);
    }
    InputStream in = delegate.get(key);
    byte[] head;
    try {
      head = in.readNBytes(maxObjectBytes + 1);
    } catch (IOException | RuntimeException e) {
      closeAfterFailure(in, e);
      throw e;
    }
    if (head.length <= maxObjectBytes) {
      in.close();
      cache.put(whole, head);
      return new ByteArrayInputStream(head);
    }
    // Too large to cache: hand back what was read followed by the rest of the stream.
    return new SequenceInputStream(new ByteArrayInputStream(head), in);
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    ObjectKeys.checkRange(offset, length);
    if (!cacheable.test(key)) {
      return delegate.getRange(key, offset, length);
    }
    byte[] whole = cache.getIfPresent(new CacheKey(key, -1, -1));
    if (whole != null) {
      if (offset >= whole.length) {
        return InputStream.nullInputStream();
      }
      long available = whole.length - offset;
      int count = (int) (length == -1 ? available : Math.min(length, available));
      return new ByteArrayInputStream(whole, (int) offset, count);
    }
    if (length == -1 || length > maxObjectBytes) {
      return delegate.getRange(key, offset, length);
    }
    CacheKey range = new CacheKey(key, offset, length);
    byte[] cached = cache.getIfPresent(range);
    if (cached != null) {
      return new ByteArrayInputStream(cached);
    }
    byte[] bytes;
    try (InputStream in = delegate.getRange(key, offset, length)) {
      bytes = in.readNBytes((int) length);
    }
    cache.put(range, bytes);
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public void upload(String key, InputStream body, long length) throws IOException {
    try {
      delegate.upload(key, body, length);
    } finally {
      invalidate(key);
    }
  }

  @Override
  public void upload(String key, byte[] content) throws IOException {
    try {
      delegate.upload(key, content);
    } finally {
      invalidate(key);
    }
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    try {
      delegate.upload(key, file);
    } finally {
      invalidate(key);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      delegate.delete(key);
    } finally {
      invalidate(key);
    }
  }

  private void invalidate(String key) {
    if (cacheable.test(key)) {
      cache.asMap().keySet().removeIf(cached -> cached.key().equals(key));
    }
  }

  @Override
  public void close() throws IOException {
    cache.invalidateAll();
    super.close();
  }

  private static void closeAfterFailure(InputStream in, Exception failure) {
    try {
      in.close();
    } catch (IOException suppressed) {
      failure.addSuppressed(suppressed);
    }
  }

  @Override
  public String toString() {
    return "CachingBucket[" + cache.estimatedSize() + " entries, " + delegate + "]";
  }

  /** Configures a {@link CachingBucket}. Not thread-safe. */
  public static final class Builder {
    private final Bucket delegate;
    private long maxBytes = 64L << 20;
    private int maxObjectBytes = 1 << 20;
    private Predicate<String> cacheable = key -> true;
    private Executor executor = Runnable::run;

    private Builder(Bucket delegate) {
      this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /**
     * Bounds the cache's total size (default 64 MiB).
     *
     * @param bytes the bound, positive
     * @return this builder
     */
    public Builder maxBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxBytes must be positive, got " + bytes);
      }
      this.maxBytes = bytes;
      return this;
    }

    /**
     * Sets the largest object or range that is cached (default 1 MiB).
     *
     * @param bytes the bound, positive
     * @return this builder
     */
    public Builder maxObjectBytes(int bytes) {
      if (bytes <= 0 || bytes == Integer.MAX_VALUE) {
        throw new IllegalArgumentException("maxObjectBytes must be positive and < 2 GiB, got " + bytes);
      }
      this.maxObjectBytes = bytes;
      return this;
    }

    /**
     * Sets which keys may be cached (default all), for example {@code key -> key.endsWith("/meta.json")}.
     *
     * @param predicate true for keys of immutable objects worth caching
     * @return this builder
     */
    public Builder cacheable(Predicate<String> predicate) {
      this.cacheable = requireNonNull(predicate, "predicate is null");
      return this;
    }

    /**
     * Sets where Caffeine runs its maintenance (default: the calling thread).
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor is null");
      return this;
    }

    /** Returns the caching bucket. */
    public CachingBucket build() {
      return new CachingBucket(this);
    }
  }
}
