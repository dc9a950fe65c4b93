package dev.orrery.storeapi.gateway;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.core.index.IndexReader;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.block.DeduplicateFilter;
import dev.orrery.objstore.block.ExternalLabelsFilter;
import dev.orrery.objstore.block.MetaFetcher;
import dev.orrery.objstore.block.MetaFilter;
import dev.orrery.objstore.block.TimeRangeFilter;
import dev.orrery.storeapi.SeriesSink;
import dev.orrery.storeapi.StoreApi;
import dev.orrery.storeapi.WireLabels;
import dev.orrery.storeapi.proto.hints.LabelNamesRequestHints;
import dev.orrery.storeapi.proto.hints.LabelValuesRequestHints;
import dev.orrery.storeapi.proto.hints.SeriesRequestHints;
import dev.orrery.storeapi.proto.info.InfoResponse;
import dev.orrery.storeapi.proto.info.StoreInfo;
import dev.orrery.storeapi.proto.info.TSDBInfo;
import dev.orrery.storeapi.proto.thanos.LabelMatcher;
import dev.orrery.storeapi.proto.thanos.LabelNamesRequest;
import dev.orrery.storeapi.proto.thanos.LabelNamesResponse;
import dev.orrery.storeapi.proto.thanos.LabelValuesRequest;
import dev.orrery.storeapi.proto.thanos.LabelValuesResponse;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store gateway: serves the StoreAPI over the blocks of a {@link Bucket} (Thanos' {@code BucketStore}).
 *
 * <ul>
 *   <li><b>Sync.</b> {@link #sync()} (or {@link #schedule}) lists the bucket through objstore's {@link MetaFetcher}
 *       with the configured filters (time range and external-label selector for sharding, compaction duplicates),
 *       builds each new block's index-header on local disk and drops blocks that disappeared.
 *   <li><b>Memory.</b> A block keeps only its index-header (memory-mapped) while loaded; it is loaded on first use and
 *       unloaded after {@link Builder#idleUnload} without use. Postings lists and series entries are read through
 *       the byte-bounded {@link IndexCache}; chunks as coalesced range reads.
 *   <li><b>Series.</b> Phase one selects, per block (concurrently on the executor), the matching series with their
 *       final labels (external labels added, replica labels removed, re-sorted if needed) and the chunk metas in
 *       range; phase two k-way merges the blocks in label order and streams batches, reading each batch's chunks
 *       with one coalesced range read per run of nearby chunks. Chunk bytes are passed through unchanged.
 *   <li><b>Limits.</b> {@link StoreLimits}: series, chunks and bytes per request, and a concurrency gate.
 * </ul>
 *
 * <p>Thread-safe. Starts no threads: per-block work runs on the builder's executor (default: the calling thread).
 * Close it to release the loaded index-headers.
 */
public final class BucketStore implements StoreApi, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BucketStore.class);
  static final String BLOCK_ID_LABEL = "__block_id";
  /** How often a request waiting for a Series slot checks whether its client is still there. */
  private static final long GATE_POLL_MILLIS = 50;

  private final Bucket bucket;
  private final Path dataDir;
  private final IndexCache cache;
  private final StoreLimits limits;
  private final Executor executor;
  private final MetaFetcher fetcher;
  private final long idleUnloadNanos;
  private final Semaphore gate;
  private final ReentrantLock syncLock = new ReentrantLock();
  private final ConcurrentHashMap<Ulid, BucketBlock> blocks = new ConcurrentHashMap<>();
  private final BucketStoreMetrics metrics;
  private volatile boolean closed;

  private BucketStore(Builder b) {
    this.bucket = b.bucket;
    this.dataDir = b.dataDir;
    this.cache = b.cache;
    this.limits = b.limits;
    this.executor = b.executor;
    this.idleUnloadNanos = b.idleUnload.toNanos();
    this.gate = new Semaphore(limits.maxConcurrency() == 0 ? Integer.MAX_VALUE : limits.maxConcurrency(), true);
    MetaFetcher.Builder fb = MetaFetcher.builder(bucket).executor(b.executor).cacheDirectory(dataDir.resolve(
        "meta-syncer"));
    for (MetaFilter f : b.filters) {
      fb.filter(f);
    }
    fb.filter(new DeduplicateFilter());
    if (b.metricsRegistry != null) {
      fb.metrics(b.metricsRegistry);
    }
    this.fetcher = fb.build();
    this.metrics = new BucketStoreMetrics(b.metricsRegistry, blocks::size, cache, limits.maxConcurrency());
  }

  /**
   * Starts a builder.
   *
   * @param bucket the bucket with the blocks; not owned by the store
   * @param dataDir local directory for index-headers and cached metas
   */
  public static Builder builder(Bucket bucket, Path dataDir) {
    return new Builder(bucket, dataDir);
  }

  /** What one {@link #sync()} changed. */
  public record SyncResult(List<Ulid> added, List<Ulid> removed, Map<Ulid, IOException> failed, int unloaded) {}

  /**
   * Reads the bucket's metas, adds new blocks (building their index-headers) and removes vanished ones; then unloads
   * blocks idle for longer than the configured time.
   *
   * @throws IOException if the bucket cannot be listed
   */
  public SyncResult sync() throws IOException {
    syncLock.lock();
    try {
      MetaFetcher.FetchResult r = fetcher.fetch();
      List<Ulid> added = new ArrayList<>();
      List<Ulid> removed = new ArrayList<>();
      Map<Ulid, IOException> failed = new TreeMap<>(r.failed());
      for (Map.Entry<Ulid, BlockMeta> e : r.metas().entrySet()) {
        if (blocks.containsKey(e.getKey())) {
          continue;
        }
        BucketBlock block = new BucketBlock(e.getValue(), bucket, dataDir.resolve(e.getKey().toString()), cache);
        try {
          metrics.blockLoads.inc();
          block.prepareHeader();
          blocks.put(e.getKey(), block);
          added.add(e.getKey());
        } catch (IOException ex) {
          metrics.blockLoadFailures.inc();
          LOG.warn("cannot build the index-header of block {}: {}", e.getKey(), ex.toString());
          failed.put(e.getKey(), ex);
          block.close();
        }
      }
      for (Ulid id : new ArrayList<>(blocks.keySet())) {
        if (!r.metas().containsKey(id)) {
          BucketBlock b = blocks.remove(id);
          b.close();
          removed.add(id);
          metrics.blockDrops.inc();
        }
      }
      int unloaded = 0;
      long now = System.nanoTime();
      for (BucketBlock b : blocks.values()) {
        if (b.unloadIfIdle(now, idleUnloadNanos)) {
          unloaded++;
        }
      }
      return new SyncResult(added, removed, failed, unloaded);
    } finally {
      syncLock.unlock();
    }
  }

  /**
   * Runs {@link #sync()} every {@code interval} on {@code scheduler} (owned by the caller); failures are logged and
   * the next run goes ahead.
   */
  public ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, Duration interval) {
    return scheduler.scheduleWithFixedDelay(() -> {
      try {
        sync();
      } catch (IOException | RuntimeException e) {
        LOG.warn("block sync failed: {}", e.toString());
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The blocks currently served. */
  public List<BlockMeta> blocks() {
    List<BlockMeta> out = new ArrayList<>();
    for (BucketBlock b : blocks.values()) {
      out.add(b.meta());
    }
    out.sort((a, b) -> a.ulid().compareTo(b.ulid()));
    return out;
  }

  /** Number of blocks whose index reader is loaded right now. */
  public int loadedBlocks() {
    int n = 0;
    for (BucketBlock b : blocks.values()) {
      n += b.isLoaded() ? 1 : 0;
    }
    return n;
  }

  /** Bytes of index-header files of the loaded blocks. */
  public long loadedIndexHeaderBytes() {
    long n = 0;
    for (BucketBlock b : blocks.values()) {
      n += b.loadedHeaderBytes();
    }
    return n;
  }

  /** The index caches. */
  public IndexCache indexCache() {
    return cache;
  }

  /** Unloads every block not in use (for tests and tools). */
  public int unloadIdle() {
    int n = 0;
    long now = System.nanoTime();
    for (BucketBlock b : blocks.values()) {
      n += b.unloadIfIdle(now + idleUnloadNanos + 1, idleUnloadNanos) ? 1 : 0;
    }
    return n;
  }

  @Override
  public void series(SeriesRequest request, SeriesSink sink) {
    checkOpen();
    if (request.getMatchersCount() == 0) {
      throw new OrreryException(ErrorCode.BAD_QUERY, "no matchers specified (excluding external labels)");
    }
    Matcher[] matchers = WireLabels.toMatchers(request.getMatchersList());
    List<Matcher> blockMatchers = blockMatchers(request.hasHints() ? request.getHints() : null,
        SeriesRequestHints.class);
    enterGate(sink);
    metrics.gateInFlight.inc();
    try {
      List<BucketBlock> selected = selectBlocks(request.getMinTime(), request.getMaxTime(),
          request.getMaxResolutionWindow(), blockMatchers);
      SeriesRequestRun run = new SeriesRequestRun(request, matchers, selected, limits, executor);
      run.run(sink);
      metrics.requestServed(selected.size(), run.resultSeries(), run.stats());
    } catch (LimitExceededException e) {
      metrics.queriesDropped.labelValues(e.reason()).inc();
      throw e;
    } finally {
      metrics.gateInFlight.dec();
      gate.release();
    }
  }

  /**
   * Waits for a free {@code Series} slot, giving up when the receiver goes away meanwhile: a request whose client
   * cancelled or timed out would otherwise still be served in full once its turn came.
   */
  private void enterGate(SeriesSink sink) {
    long start = System.nanoTime();
    try {
      while (!gate.tryAcquire(GATE_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        if (sink.isCancelled()) {
          throw new OrreryException(ErrorCode.CANCELLED, "client went away while the request waited for one of "
              + limits.maxConcurrency() + " Series slots");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrreryException(ErrorCode.CANCELLED, "interrupted while waiting for a free Series slot");
    } finally {
      metrics.gateDuration.observe((System.nanoTime() - start) / 1e9);
    }
  }

  private List<BucketBlock> selectBlocks(long minTime, long maxTime, long maxResolutionWindow,
      List<Matcher> blockMatchers) {
    Map<Labels, List<BucketBlock>> groups = new LinkedHashMap<>();
    for (BucketBlock b : blocks.values()) {
      if (!matchesBlock(b, blockMatchers)) {
        continue;
      }
      groups.computeIfAbsent(b.externalLabels(), k -> new ArrayList<>()).add(b);
    }
    List<BucketBlock> out = new ArrayList<>();
    for (List<BucketBlock> g : groups.values()) {
      out.addAll(ResolutionSelection.select(g, minTime, maxTime, maxResolutionWindow));
    }
    return out;
  }

  private static boolean matchesBlock(BucketBlock b, List<Matcher> blockMatchers) {
    for (Matcher m : blockMatchers) {
      String v = m.name().equals(BLOCK_ID_LABEL) ? b.id().toString() : b.externalLabels().get(m.name());
      if (!m.matches(v)) {
        return false;
      }
    }
    return true;
  }

  // Block matchers from request hints of type T (an unknown or absent hint selects every block).
  private static List<Matcher> blockMatchers(@Nullable Any hints, Class<? extends com.google.protobuf.Message> type) {
    if (hints == null || !hints.is(type)) {
      return List.of();
    }
    try {
      List<LabelMatcher> wire;
      if (type == SeriesRequestHints.class) {
        wire = hints.unpack(SeriesRequestHints.class).getBlockMatchersList();
      } else if (type == LabelNamesRequestHints.class) {
        wire = hints.unpack(LabelNamesRequestHints.class).getBlockMatchersList();
      } else {
        wire = hints.unpack(LabelValuesRequestHints.class).getBlockMatchersList();
      }
      return List.of(WireLabels.toMatchers(wire));
    } catch (InvalidProtocolBufferException e) {
      throw new OrreryException(ErrorCode.BAD_QUERY, "malformed request hints: " + e.getMessage(), e);
    }
  }

  @Override
  public LabelNamesResponse labelNames(LabelNamesRequest request) {
    checkOpen();
    Matcher[] matchers = WireLabels.toMatchers(request.getMatchersList());
    Set<String> without = new HashSet<>(request.getWithoutReplicaLabelsList());
    List<Matcher> blockMatchers = blockMatchers(request.hasHints() ? request.getHints() : null,
        LabelNamesRequestHints.class);
    TreeSet<String> names = new TreeSet<>(dev.orrery.core.labels.Utf8Order.COMPARATOR);
    forEachLabelBlock(request.getStart(), request.getEnd(), matchers, blockMatchers, (block, reader, local) -> {
      names.addAll(local.length == 0 ? reader.labelNames() : reader.labelNames(local));
      block.externalLabels().forEach((n, v) -> names.add(n));
    });
    names.removeAll(without);
    List<String> out = limit(new ArrayList<>(names), request.getLimit());
    return LabelNamesResponse.newBuilder().addAllNames(out).build();
  }

  @Override
  public LabelValuesResponse labelValues(LabelValuesRequest request) {
    checkOpen();
    String name = request.getLabel();
    if (name.isEmpty()) {
      throw new OrreryException(ErrorCode.BAD_QUERY, "label name parameter cannot be empty");
    }
    if (request.getWithoutReplicaLabelsList().contains(name)) {
      return LabelValuesResponse.getDefaultInstance();
    }
    Matcher[] matchers = WireLabels.toMatchers(request.getMatchersList());
    List<Matcher> blockMatchers = blockMatchers(request.hasHints() ? request.getHints() : null,
        LabelValuesRequestHints.class);
    TreeSet<String> values = new TreeSet<>(dev.orrery.core.labels.Utf8Order.COMPARATOR);
    forEachLabelBlock(request.getStart(), request.getEnd(), matchers, blockMatchers, (block, reader, local) -> {
      if (block.externalLabels().has(name)) {
        // External labels win over series labels of the same name (8.4).
        if (local.length == 0 || reader.postingsForMatchers(local).next()) {
          values.add(block.externalLabels().get(name));
        }
        return;
      }
      values.addAll(local.length == 0 ? reader.labelValues(name) : reader.labelValues(name, local));
    });
    values.remove("");
    List<String> out = limit(new ArrayList<>(values), request.getLimit());
    return LabelValuesResponse.newBuilder().addAllValues(out).build();
  }

  private static List<String> limit(List<String> l, long limit) {
    return limit > 0 && l.size() > limit ? l.subList(0, (int) limit) : l;
  }

  private interface LabelBlockVisitor {
    void visit(BucketBlock block, IndexReader reader, Matcher[] localMatchers);
  }

  private void forEachLabelBlock(long start, long end, Matcher[] matchers, List<Matcher> blockMatchers,
      LabelBlockVisitor visitor) {
    boolean allTime = start == 0 && end == 0;
    for (BucketBlock b : blocks.values()) {
      BlockMeta m = b.meta();
      if (!allTime && (m.minTimeMillis() > end || m.maxTimeMillis() <= start)) {
        continue;
      }
      if (!matchesBlock(b, blockMatchers)) {
        continue;
      }
      Matcher[] local = SeriesRequestRun.localMatchers(b.externalLabels(), matchers);
      if (local == null) {
        continue;
      }
      IndexReader reader;
      try {
        reader = b.acquire();
      } catch (IOException e) {
        throw new OrreryException(ErrorCode.STORAGE, "loading block " + b.id() + ": " + e.getMessage(), e);
      }
      try {
        visitor.visit(b, reader, local);
      } finally {
        b.release();
      }
    }
  }

  @Override
  public InfoResponse info() {
    Map<Labels, long[]> ranges = new TreeMap<>();
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (BucketBlock b : blocks.values()) {
      long[] r = ranges.computeIfAbsent(b.externalLabels(), k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      r[0] = Math.min(r[0], b.meta().minTimeMillis());
      r[1] = Math.max(r[1], b.meta().maxTimeMillis());
      min = Math.min(min, b.meta().minTimeMillis());
      max = Math.max(max, b.meta().maxTimeMillis());
    }
    if (ranges.isEmpty()) {
      // Thanos reports an empty store as the whole time range inverted, so queriers prune it.
      min = Long.MAX_VALUE;
      max = Long.MIN_VALUE;
    }
    InfoResponse.Builder out = InfoResponse.newBuilder().setComponentType("store");
    StoreInfo.Builder store = StoreInfo.newBuilder().setMinTime(min).setMaxTime(max).setSupportsSharding(true)
        .setSupportsWithoutReplicaLabels(true);
    for (Map.Entry<Labels, long[]> e : ranges.entrySet()) {
      out.addLabelSets(WireLabels.toLabelSet(e.getKey()));
      store.addTsdbInfos(TSDBInfo.newBuilder().setLabels(WireLabels.toLabelSet(e.getKey()))
          .setMinTime(e.getValue()[0]).setMaxTime(e.getValue()[1]));
    }
    return out.setStore(store).build();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("bucket store is closed");
    }
  }

  /** Closes every block (unloading index-headers). Idempotent. */
  @Override
  public void close() {
    closed = true;
    syncLock.lock();
    try {
      for (BucketBlock b : blocks.values()) {
        b.close();
      }
      blocks.clear();
    } finally {
      syncLock.unlock();
    }
  }

  /** Runs {@code tasks} on {@code executor} and waits for all; the first failure is rethrown. */
  static <T> List<T> runAll(Executor executor, List<java.util.function.Supplier<T>> tasks) {
    if (tasks.size() <= 1) {
      List<T> out = new ArrayList<>();
      for (java.util.function.Supplier<T> t : tasks) {
        out.add(t.get());
      }
      return out;
    }
    List<CompletableFuture<T>> futures = new ArrayList<>(tasks.size());
    for (java.util.function.Supplier<T> t : tasks) {
      futures.add(CompletableFuture.supplyAsync(t, executor));
    }
    List<T> out = new ArrayList<>(tasks.size());
    RuntimeException first = null;
    for (CompletableFuture<T> f : futures) {
      try {
        out.add(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.forEach(x -> x.cancel(true));
        throw new OrreryException(ErrorCode.CANCELLED, "interrupted while reading blocks");
      } catch (ExecutionException e) {
        Throwable c = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause()
            : e.getCause();
        RuntimeException r = c instanceof RuntimeException re ? re
            : new OrreryException(ErrorCode.STORAGE, String.valueOf(c), c);
        if (first == null) {
          first = r;
        } else if (first != r) {
          first.addSuppressed(r);
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return out;
  }

  /** Configures a {@link BucketStore}. */
  public static final class Builder {
    private final Bucket bucket;
    private final Path dataDir;
    private IndexCache cache = new IndexCache(256L << 20, 256L << 20);
    private StoreLimits limits = StoreLimits.unlimited();
    private Executor executor = Runnable::run;
    private Duration idleUnload = Duration.ofHours(1);
    private final List<MetaFilter> filters = new ArrayList<>();
    private @Nullable PrometheusRegistry metricsRegistry;

    private Builder(Bucket bucket, Path dataDir) {
      this.bucket = requireNonNull(bucket, "bucket is null");
      this.dataDir = requireNonNull(dataDir, "dataDir is null");
    }

    /** The index caches (default: 256 MiB each for postings and series). */
    public Builder indexCache(IndexCache cache) {
      this.cache = requireNonNull(cache, "cache is null");
      return this;
    }

    /** Per-request limits (default: none, 20 concurrent requests). */
    public Builder limits(StoreLimits limits) {
      this.limits = requireNonNull(limits, "limits is null");
      return this;
    }

    /** Where per-block work and meta reads run (default: the calling thread); owned by the caller. */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor is null");
      return this;
    }

    /** How long a block may stay unused before its index reader is unloaded (default 1h). */
    public Builder idleUnload(Duration idle) {
      this.idleUnload = requireNonNull(idle, "idle is null");
      return this;
    }

    /** Serves only blocks overlapping {@code [minTimeMillis, maxTimeMillis)} (time-based sharding). */
    public Builder timeRange(long minTimeMillis, long maxTimeMillis) {
      filters.add(new TimeRangeFilter(minTimeMillis, maxTimeMillis));
      return this;
    }

    /** Serves only blocks whose external labels match all {@code matchers} (label-based sharding). */
    public Builder labelSelector(Collection<Matcher> matchers) {
      filters.add(new ExternalLabelsFilter(List.copyOf(matchers)));
      return this;
    }

    /** Adds a meta filter, applied in order before compaction-duplicate removal. */
    public Builder filter(MetaFilter filter) {
      filters.add(requireNonNull(filter, "filter is null"));
      return this;
    }

    /**
     * Registers the store's metrics with {@code registry}: Thanos' store gateway families ({@code
     * thanos_bucket_store_*}, {@code thanos_store_index_cache_*}) and its meta fetcher's ({@code
     * thanos_blocks_meta_*}); default none.
     */
    public Builder metrics(PrometheusRegistry registry) {
      this.metricsRegistry = requireNonNull(registry, "registry is null");
      return this;
    }

    /** Builds the store; call {@link #sync()} (or {@link #schedule}) to load blocks. */
    public BucketStore build() {
      return new BucketStore(this);
    }
  }
}
