package dev.orrery.objstore.block;

import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.Interrupts;
import dev.orrery.objstore.IterOptions;
import dev.orrery.objstore.ObjectAttributes;
import dev.orrery.objstore.ObjectNotFoundException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Finds the blocks in a bucket and reads their {@code meta.json} files, as Thanos' {@code MetaFetcher} does: lists
 * the top-level ULID directories, reads every meta concurrently (at most {@link Builder#concurrency} at a time, on
 * the caller's executor), keeps metas in memory and in a local disk cache ({@code <cacheDir>/<ULID>/meta.json};
 * metas are immutable, so a cached one is never read again from the bucket while its block exists), and then
 * applies {@link MetaFilter}s in order.
 *
 * <p>A ULID directory without {@code meta.json} is a partial upload (still uploading, aborted, or being deleted)
 * and is reported in {@link FetchResult#partial()}, never as a block; {@link #abortedPartialUploads} picks those
 * older than a threshold for cleanup. A meta that does not parse is reported in {@link FetchResult#failed()}.
 *
 * <p>Thread-safe; concurrent {@link #fetch()} calls share the caches. Does not own the bucket or the executor.
 */
public final class MetaFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(MetaFetcher.class);

  private final Bucket bucket;
  private final BlockBucket blocks;
  private final Executor executor;
  private final int concurrency;
  private final @Nullable Path cacheDir;
  private final List<MetaFilter> filters;
  private final Clock clock;
  private final ConcurrentMap<Ulid, BlockMeta> cached = new ConcurrentHashMap<>();
  private final FetcherMetrics metrics;

  private MetaFetcher(Builder builder) {
    this.bucket = builder.bucket;
    this.blocks = new BlockBucket(builder.bucket, builder.clock);
    this.executor = builder.executor;
    this.concurrency = builder.concurrency;
    this.cacheDir = builder.cacheDir;
    this.filters = List.copyOf(builder.filters);
    this.clock = builder.clock;
    this.metrics = new FetcherMetrics(builder.metricsRegistry);
  }

  /**
   * Starts a builder: runs on the calling thread, 32 concurrent reads, no disk cache, no filters.
   *
   * @param bucket the bucket to read; not owned by the fetcher
   * @return the builder
   */
  public static Builder builder(Bucket bucket) {
    return new Builder(bucket);
  }

  /**
   * The outcome of one {@link #fetch()}.
   *
   * @param metas the blocks that passed every filter, by ULID
   * @param partial ULID directories without {@code meta.json}
   * @param failed blocks whose {@code meta.json} could not be read or parsed, with the failure
   * @param filtered for each block removed by a filter, the filter's reason (for example {@code
   *     marked-for-deletion}, {@code duplicate}, {@code too-fresh})
   */
  public record FetchResult(SortedMap<Ulid, BlockMeta> metas, List<Ulid> partial, Map<Ulid, IOException> failed,
      Map<Ulid, String> filtered) {
    /** Copies the collections. */
    public FetchResult {
      metas = Collections.unmodifiableSortedMap(new TreeMap<>(metas));
      partial = List.copyOf(partial);
      failed = Collections.unmodifiableMap(new TreeMap<>(failed));
      filtered = Collections.unmodifiableMap(new TreeMap<>(filtered));
    }
  }

  /**
   * Lists the blocks, reads their metas and applies the filters.
   *
   * @return the result
   * @throws IOException if the bucket cannot be listed or a filter fails
   */
  public FetchResult fetch() throws IOException {
    long start = System.nanoTime();
    metrics.started();
    FetchResult result;
    try {
      result = fetchAndFilter();
    } catch (IOException | RuntimeException e) {
      metrics.failed(start);
      throw e;
    }
    metrics.completed(result, start);
    return result;
  }

  private FetchResult fetchAndFilter() throws IOException {
    List<Ulid> ids = new ArrayList<>();
    bucket.iterate("", IterOptions.FLAT, key -> {
      if (key.endsWith("/")) {
        String name = key.substring(0, key.length() - 1);
        if (Ulid.isValid(name)) {
          ids.add(Ulid.parse(name));
        }
      }
    });
    ConcurrentMap<Ulid, BlockMeta> metas = new ConcurrentHashMap<>();
    ConcurrentMap<Ulid, Boolean> partial = new ConcurrentHashMap<>();
    ConcurrentMap<Ulid, IOException> failed = new ConcurrentHashMap<>();
    forEachConcurrently(ids, id -> {
      try {
        BlockMeta meta = load(id);
        if (meta == null) {
          partial.put(id, Boolean.TRUE);
        } else {
          metas.put(id, meta);
        }
      } catch (IOException e) {
        failed.put(id, e);
      }
    });
    cached.keySet().retainAll(ids);
    pruneDiskCache(ids);

    SortedMap<Ulid, BlockMeta> kept = new TreeMap<>(metas);
    Map<Ulid, String> filtered = new TreeMap<>();
    for (MetaFilter filter : filters) {
      filter.filter(kept, (id, reason) -> {
        if (kept.remove(id) != null) {
          filtered.put(id, reason);
        }
      });
    }
    List<Ulid> partialIds = new ArrayList<>(partial.keySet());
    partialIds.sort(null);
    return new FetchResult(kept, partialIds, failed, filtered);
  }

  /** Work on one block. */
  @FunctionalInterface
  interface BlockTask {
    void run(Ulid id) throws IOException;
  }

  /**
   * Runs {@code task} for every block on the executor, at most {@code concurrency} at a time, and waits for all.
   * Also used by filters that read per-block objects (deletion marks).
   */
  void forEachConcurrently(List<Ulid> ids, BlockTask task) throws IOException {
    Semaphore permits = new Semaphore(concurrency);
    ConcurrentMap<Ulid, Throwable> unexpected = new ConcurrentHashMap<>();
    int submitted = 0;
    try {
      for (Ulid id : ids) {
        permits.acquire();
        submitted++;
        try {
          executor.execute(() -> {
            try {
              task.run(id);
            } catch (IOException | RuntimeException e) {
              unexpected.put(id, e);
            } finally {
              permits.release();
            }
          });
        } catch (RejectedExecutionException e) {
          permits.release();
          throw new IOException("meta fetch: the executor rejected a task", e);
        }
      }
      permits.acquire(concurrency);
      permits.release(concurrency);
    } catch (InterruptedException e) {
      throw Interrupts.interrupted("meta fetch of " + submitted + " blocks", e);
    }
    if (!unexpected.isEmpty()) {
      Map.Entry<Ulid, Throwable> first = unexpected.entrySet().iterator().next();
      if (first.getValue() instanceof IOException io) {
        throw io;
      }
      throw (RuntimeException) first.getValue();
    }
  }

  /** Returns the meta, or {@code null} for a partial block. */
  private @Nullable BlockMeta load(Ulid id) throws IOException {
    if (!bucket.exists(BlockBucket.metaKey(id))) {
      // No meta.json (any more): partial, or deleted; a cached meta must not keep a deleted block alive.
      cached.remove(id);
      return null;
    }
    BlockMeta meta = cached.get(id);
    if (meta != null) {
      return meta;
    }
    meta = readDiskCache(id);
    if (meta == null) {
      try {
        meta = blocks.readMeta(id);
      } catch (ObjectNotFoundException e) {
        return null;
      }
      writeDiskCache(meta);
    }
    cached.put(id, meta);
    return meta;
  }

  private @Nullable BlockMeta readDiskCache(Ulid id) {
    if (cacheDir == null) {
      return null;
    }
    Path file = cacheDir.resolve(id.toString()).resolve(BlockMeta.FILE_NAME);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      BlockMeta meta = BlockMeta.read(file.getParent());
      return meta.ulid().equals(id) ? meta : null;
    } catch (IOException e) {
      // A damaged cache entry is only a cache miss.
      LOG.debug("ignoring cached meta {}: {}", file, e.toString());
      return null;
    }
  }

  private void writeDiskCache(BlockMeta meta) {
    if (cacheDir == null) {
      return;
    }
    Path dir = cacheDir.resolve(meta.ulid().toString());
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, "meta", ".tmp");
      Files.writeString(temp, meta.toJson());
      Files.move(temp, dir.resolve(BlockMeta.FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warn("cannot cache meta of block {} in {}: {}", meta.ulid(), dir, e.toString());
    }
  }

  private void pruneDiskCache(List<Ulid> present) {
    if (cacheDir == null || !Files.isDirectory(cacheDir)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(cacheDir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (Ulid.isValid(name) && !present.contains(Ulid.parse(name))) {
          BlockDirectory.delete(entry);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot prune the meta cache {}: {}", cacheDir, e.toString());
    }
  }

  /**
   * Picks the partial uploads that are old enough to be abandoned, as Thanos' compactor does before deleting them:
   * the block's age is measured from the newest last-modified time among its objects (from its ULID time when it
   * has none), and blocks that carry a deletion mark are left to the normal deletion path.
   *
   * @param result a fetch result
   * @param threshold the age past which a partial upload is abandoned (Thanos: 2 days)
   * @return the abandoned partial uploads
   * @throws IOException if the bucket cannot be read
   */
  public List<Ulid> abortedPartialUploads(FetchResult result, Duration threshold) throws IOException {
    Instant cutoff = clock.instant().minus(threshold);
    List<Ulid> aborted = new ArrayList<>();
    for (Ulid id : result.partial()) {
      if (Instant.ofEpochMilli(id.timeMillis()).isAfter(cutoff)) {
        continue;
      }
      List<String> keys = bucket.list(id.toString(), IterOptions.RECURSIVE);
      if (keys.contains(BlockBucket.deletionMarkKey(id))) {
        continue;
      }
      Instant newest = Instant.ofEpochMilli(id.timeMillis());
      for (String key : keys) {
        try {
          ObjectAttributes attributes = bucket.attributes(key);
          if (attributes.lastModified().isAfter(newest)) {
            newest = attributes.lastModified();
          }
        } catch (ObjectNotFoundException e) {
          // Deleted meanwhile.
        }
      }
      if (!newest.isAfter(cutoff)) {
        aborted.add(id);
      }
    }
    return aborted;
  }

  /** Configures a {@link MetaFetcher}. */
  public static final class Builder {
    private final Bucket bucket;
    private Executor executor = Runnable::run;
    private int concurrency = 32;
    private @Nullable Path cacheDir;
    private final List<MetaFilter> filters = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private @Nullable PrometheusRegistry metricsRegistry;

    private Builder(Bucket bucket) {
      this.bucket = requireNonNull(bucket, "bucket is null");
    }

    /**
     * Sets where meta reads run (default: the calling thread, one at a time).
     *
     * @param executor the executor; not shut down by the fetcher
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor is null");
      return this;
    }

    /**
     * Bounds the reads in flight (default 32, as Thanos' {@code --block-meta-fetch-concurrency}).
     *
     * @param reads at least 1
     * @return this builder
     */
    public Builder concurrency(int reads) {
      if (reads < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1, got " + reads);
      }
      this.concurrency = reads;
      return this;
    }

    /**
     * Caches metas on local disk under {@code <directory>/<ULID>/meta.json}.
     *
     * @param directory the cache directory, for example {@code <data-dir>/meta-syncer}
     * @return this builder
     */
    public Builder cacheDirectory(Path directory) {
      this.cacheDir = requireNonNull(directory, "directory is null");
      return this;
    }

    /**
     * Adds a filter; filters run in the order added.
     *
     * @param filter the filter
     * @return this builder
     */
    public Builder filter(MetaFilter filter) {
      this.filters.add(requireNonNull(filter, "filter is null"));
      return this;
    }

    /**
     * Sets the clock for partial-upload ages (default UTC system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock is null");
      return this;
    }

    /**
     * Registers the fetcher's metrics with {@code registry}: Thanos' {@code thanos_blocks_meta_*} families (syncs,
     * failures, duration, blocks by state); default none.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder metrics(PrometheusRegistry registry) {
      this.metricsRegistry = requireNonNull(registry, "registry is null");
      return this;
    }

    /** Returns the fetcher. */
    public MetaFetcher build() {
      return new MetaFetcher(this);
    }
  }
}
