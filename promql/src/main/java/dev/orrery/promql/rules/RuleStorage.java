package dev.orrery.promql.rules;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.block.Block;
import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockSet;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.ClippedChunkSequence;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.labels.Utf8Order;
import dev.orrery.core.storage.MergeQuerier;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.wal.WalCheckpoint;
import dev.orrery.core.wal.WalRecords;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ruler's own samples: the series its recording rules write and the {@code ALERTS} and {@code ALERTS_FOR_STATE}
 * series of its alerting rules, floats or native histograms. They are kept in memory as XOR or float histogram chunks
 * of up to {@value #SAMPLES_PER_CHUNK} samples, are
 * queryable (so a rule sees what the rules before it recorded, and the HTTP API serves them), and are written out as
 * blocks by {@link #flush} once old enough, for the shipper to upload.
 *
 * <p>{@link #open} makes it durable, as Prometheus' head: every {@link Appender#commit} is logged to a write-ahead log
 * in {@code <dir>/wal} (Prometheus' format, snappy-compressed) before it is visible, a restart replays the log, and a
 * flush checkpoints it so that it holds only what is not in a block yet. Its blocks stay queryable, next to the
 * samples in memory, until they are older than the retention, as Thanos' ruler serves its TSDB. {@code new
 * RuleStorage()} keeps everything in memory only.
 *
 * <p>Thread-safe: rule groups append concurrently while queries read.
 */
public final class RuleStorage implements Queryable, Closeable {
  /** Samples per chunk, as Prometheus' head cuts them. */
  public static final int SAMPLES_PER_CHUNK = 120;
  /** How long a durable storage keeps its blocks by default (Thanos ruler's {@code --tsdb.retention}). */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(48);
  private static final Logger LOG = LoggerFactory.getLogger(RuleStorage.class);

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final TreeMap<Labels, RuleSeries> series = new TreeMap<>();
  private final @Nullable RuleWal wal;
  private final @Nullable Path dir;
  private final Duration retention;
  /** The blocks in {@link #dir} that queries read. */
  private volatile BlockSet blocks = new BlockSet(List.of());
  /** Blocks past retention, out of queries since the last flush; closed and deleted at the next (no query uses them). */
  private List<Block> retired = List.of();
  /** The reference the next new series gets in the WAL. */
  private long nextRef = 1;

  /** An empty storage held in memory only. */
  public RuleStorage() {
    this.wal = null;
    this.dir = null;
    this.retention = DEFAULT_RETENTION;
  }

  private RuleStorage(RuleWal wal, Path dir, Duration retention, BlockSet blocks) {
    this.wal = wal;
    this.dir = dir;
    this.retention = retention;
    this.blocks = blocks;
  }

  /** {@link #open(Path, Duration)} with the {@linkplain #DEFAULT_RETENTION default retention}. */
  public static RuleStorage open(Path dir) throws IOException {
    return open(dir, DEFAULT_RETENTION);
  }

  /**
   * A durable storage over {@code dir}: opens the blocks in {@code dir} for queries, replays {@code dir/wal} (skipping
   * samples older than the end of the newest block, which a flush wrote before the log was checkpointed), then logs
   * every commit there. A corrupt log is replayed up to the corruption, with a warning, and checkpointed at once so
   * the damage is gone. {@link #flush(long, Map)} writes blocks into {@code dir} and drops those that ended more than
   * {@code retention} before the flush.
   */
  public static RuleStorage open(Path dir, Duration retention) throws IOException {
    BlockSet blocks = BlockSet.open(Files.createDirectories(dir));
    long minValid = Long.MIN_VALUE;
    for (Block b : blocks.blocks()) {
      minValid = Math.max(minValid, b.meta().maxTimeMillis());
    }
    Path walDir = dir.resolve("wal");
    Replayer replayer = new Replayer(minValid);
    WalCheckpoint.Replay replay;
    RuleWal wal;
    try {
      replay = WalCheckpoint.replay(walDir, replayer);
      wal = RuleWal.open(walDir);
    } catch (IOException | RuntimeException e) {
      blocks.close();
      throw e;
    }
    RuleStorage storage = new RuleStorage(wal, dir, retention, blocks);
    // Series whose samples all went into blocks are not brought back.
    replayer.byLabels.forEach((labels, buffer) -> {
      if (buffer.lastT != Long.MIN_VALUE) {
        storage.series.put(labels, buffer);
      }
    });
    storage.nextRef = replayer.maxRef + 1;
    if (replayer.unknownRefs > 0 || replayer.unreadable > 0) {
      LOG.warn("{}: dropped {} samples of the WAL that name no series and {} histograms whose buckets do not match "
          + "their spans", walDir, replayer.unknownRefs, replayer.unreadable);
    }
    if (replay.corruption() != null) {
      LOG.warn("{}: the WAL is corrupt; {} records were replayed, the rest is dropped: {}", walDir, replay.records(),
          replay.corruption().getMessage());
      wal.checkpoint(storage.series);
    }
    return storage;
  }

  /** Rebuilds the series from WAL records. */
  private static final class Replayer implements WalRecords.Visitor {
    final Map<Labels, RuleSeries> byLabels = new HashMap<>();
    final Map<Long, RuleSeries> byRef = new HashMap<>();
    final long minValid;
    long maxRef;
    long unknownRefs;
    long unreadable;

    Replayer(long minValid) {
      this.minValid = minValid;
    }

    @Override
    public void series(long ref, Labels labels) {
      byRef.put(ref, byLabels.computeIfAbsent(labels, l -> new RuleSeries(ref)));
      maxRef = Math.max(maxRef, ref);
    }

    @Override
    public void sample(long ref, long t, double v) {
      RuleSeries s = valid(ref, t);
      if (s != null) {
        s.append(t, v);
      }
    }

    @Override
    public void floatHistogramSample(long ref, long t, FloatHistogram h) {
      RuleSeries s = valid(ref, t);
      if (s != null) {
        try {
          s.append(t, h);
        } catch (IllegalArgumentException e) {
          // A histogram no chunk can hold is dropped, not allowed to stop the replay.
          unreadable++;
        }
      }
    }

    /** The series a sample belongs to, or null when it names none or is already in a block. */
    private @Nullable RuleSeries valid(long ref, long t) {
      RuleSeries s = byRef.get(ref);
      if (s == null) {
        unknownRefs++;
      }
      return t >= minValid ? s : null;
    }
  }

  /**
   * Appends a sample (a one-sample {@link Appender}). A sample at or before the series' last one is dropped, as the
   * head drops out-of-order samples.
   *
   * @return whether it was stored
   * @throws IOException if the WAL cannot be written; nothing is stored then
   */
  public boolean append(Labels labels, long timestampMillis, double value) throws IOException {
    return appender().add(labels, timestampMillis, value).commit() == 1;
  }

  /** A batch of samples that becomes visible, and durable, at once on {@link Appender#commit}. */
  public Appender appender() {
    return new Appender();
  }

  /** Collects samples for one commit. Confined to one thread. */
  public final class Appender {
    private Labels[] labels = new Labels[16];
    private final RuleSamples pending = new RuleSamples();

    private Appender() {}

    /** Adds a float sample to the batch. */
    public Appender add(Labels seriesLabels, long timestampMillis, double value) {
      return add(seriesLabels, timestampMillis, value, null);
    }

    /**
     * Adds a native histogram sample to the batch.
     *
     * @throws IllegalArgumentException if its spans do not describe its buckets (it could not be stored or replayed)
     */
    public Appender add(Labels seriesLabels, long timestampMillis, FloatHistogram histogram) {
      requireNonNull(histogram, "histogram is null");
      if (bucketsIn(histogram.positiveSpans()) != histogram.positiveBuckets().length
          || bucketsIn(histogram.negativeSpans()) != histogram.negativeBuckets().length) {
        throw new IllegalArgumentException("histogram of " + seriesLabels + " at " + timestampMillis
            + ": its spans do not match its buckets");
      }
      return add(seriesLabels, timestampMillis, Double.NaN, histogram);
    }

    private static long bucketsIn(Span[] spans) {
      long n = 0;
      for (Span s : spans) {
        n += s.length();
      }
      return n;
    }

    private Appender add(Labels seriesLabels, long t, double value, @Nullable FloatHistogram histogram) {
      if (pending.count == labels.length) {
        labels = Arrays.copyOf(labels, labels.length * 2);
      }
      labels[pending.count] = seriesLabels;
      pending.add(0, t, value, histogram);
      return this;
    }

    /**
     * Stores the batch: logs its new series and its samples to the WAL (when the storage is durable), then makes them
     * visible. A sample at or before its series' last one is dropped. The appender is empty afterwards.
     *
     * @return the number of samples stored
     * @throws IOException if the WAL cannot be written; nothing of the batch is stored then
     */
    public int commit() throws IOException {
      lock.writeLock().lock();
      try {
        Map<Labels, RuleSeries> created = new LinkedHashMap<>();
        RuleSeries[] targets = new RuleSeries[pending.count];
        RuleSamples kept = new RuleSamples();
        Map<RuleSeries, Long> lastInBatch = new HashMap<>();
        for (int i = 0; i < pending.count; i++) {
          RuleSeries s = series.get(labels[i]);
          if (s == null) {
            s = created.computeIfAbsent(labels[i], l -> new RuleSeries(nextRef + created.size()));
          }
          if (pending.ts[i] <= lastInBatch.getOrDefault(s, s.lastT)) {
            continue;
          }
          lastInBatch.put(s, pending.ts[i]);
          targets[kept.count] = s;
          kept.add(s.ref, pending.ts[i], pending.vs[i], pending.hs[i]);
        }
        if (wal != null && kept.count > 0) {
          long[] newRefs = new long[created.size()];
          int n = 0;
          for (RuleSeries s : created.values()) {
            newRefs[n++] = s.ref;
          }
          wal.logCommit(newRefs, created.keySet().toArray(Labels[]::new), n, kept);
        }
        // A new series always keeps its first sample, so every created series is stored.
        series.putAll(created);
        nextRef += created.size();
        for (int i = 0; i < kept.count; i++) {
          targets[i].append(kept, i);
        }
        return kept.count;
      } finally {
        lock.writeLock().unlock();
        Arrays.fill(labels, 0, pending.count, null);
        pending.clear();
      }
    }
  }

  /** Number of series held. */
  public int seriesCount() {
    lock.readLock().lock();
    try {
      return series.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Writes every sample before {@code beforeMillis} as one block into the storage's directory (see {@link
   * #open(Path, Duration)}), checkpoints the WAL so that it keeps only the samples still in memory, and retires the
   * blocks that ended more than the retention before {@code beforeMillis}; otherwise as {@link #flush(long, Path,
   * Map)}.
   *
   * @throws IllegalStateException if the storage is held in memory only
   */
  public Optional<BlockMeta> flush(long beforeMillis, Map<String, String> externalLabels) throws IOException {
    if (dir == null) {
      throw new IllegalStateException("a storage held in memory only has no directory to flush into");
    }
    return flush(beforeMillis, dir, externalLabels);
  }

  /**
   * Writes every sample before {@code beforeMillis} as one block under {@code dataDir} (external labels and {@code
   * source: ruler} in its meta when {@code externalLabels} is not empty) and drops them from memory; returns the
   * block, or nothing when no sample was that old. Series left without samples are forgotten. A durable storage
   * accepts only its own directory.
   *
   * @throws IOException if the block cannot be written; the samples are then kept
   */
  public Optional<BlockMeta> flush(long beforeMillis, Path dataDir, Map<String, String> externalLabels)
      throws IOException {
    if (dir != null && !dir.equals(dataDir)) {
      throw new IllegalArgumentException("a durable storage flushes into its own directory " + dir + ", not "
          + dataDir);
    }
    lock.writeLock().lock();
    try {
      BlockWriter.Builder builder = BlockWriter.builder(dataDir);
      if (!externalLabels.isEmpty()) {
        builder.externalLabels(externalLabels).source("ruler");
      }
      try (BlockWriter writer = builder.build()) {
        // Each series is decoded once: its samples are written, then the newer ones kept.
        RuleSamples decoded = new RuleSamples();
        int[] ends = new int[series.size()];
        int k = 0;
        for (Map.Entry<Labels, RuleSeries> e : series.entrySet()) {
          int from = decoded.count;
          e.getValue().samplesInto(decoded);
          for (int i = from; i < decoded.count && decoded.ts[i] < beforeMillis; i++) {
            if (decoded.hs[i] == null) {
              writer.append(e.getKey(), decoded.ts[i], decoded.vs[i]);
            } else {
              writer.append(e.getKey(), decoded.ts[i], decoded.hs[i]);
            }
          }
          ends[k++] = decoded.count;
        }
        if (writer.isEmpty()) {
          return Optional.empty();
        }
        BlockMeta meta = writer.commit();
        Iterator<RuleSeries> it = series.values().iterator();
        for (int i = 0, from = 0; i < k; from = ends[i++]) {
          if (it.next().keepFrom(beforeMillis, decoded, from, ends[i])) {
            it.remove();
          }
        }
        if (wal != null) {
          wal.checkpoint(series);
          publish(Block.open(dataDir.resolve(meta.ulid().toString())), beforeMillis - retention.toMillis());
        }
        return Optional.of(meta);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Makes {@code added} queryable, takes the blocks that ended at or before {@code expiredBefore} out of queries, and
   * closes and deletes those taken out at the previous flush.
   */
  private void publish(Block added, long expiredBefore) throws IOException {
    List<Block> kept = new ArrayList<>();
    List<Block> expired = new ArrayList<>();
    for (Block b : blocks.blocks()) {
      (b.meta().maxTimeMillis() <= expiredBefore ? expired : kept).add(b);
    }
    kept.add(added);
    blocks = new BlockSet(kept);
    List<Block> done = retired;
    retired = expired;
    Block.closeAll(done);
    for (Block b : done) {
      BlockDirectory.delete(dir.resolve(b.meta().ulid().toString()));
    }
  }

  /** Closes the WAL (forcing it to disk) and the blocks; the storage must not be used afterwards. */
  @Override
  public void close() throws IOException {
    lock.writeLock().lock();
    try {
      if (wal != null) {
        wal.close();
      }
      blocks.close();
      Block.closeAll(retired);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public Querier querier(long minTimeMillis, long maxTimeMillis) {
    Querier memory = new StorageQuerier(minTimeMillis, maxTimeMillis);
    BlockSet flushed = blocks;
    if (flushed.blocks().isEmpty()) {
      return memory;
    }
    return new MergeQuerier(List.of(memory, flushed.querier(minTimeMillis, maxTimeMillis)));
  }

  /** The series matching every matcher (a missing label matches as the empty value). */
  private static boolean matches(Labels labels, Matcher[] matchers) {
    for (Matcher m : matchers) {
      String v = labels.get(m.name());
      if (!m.matches(v == null ? "" : v)) {
        return false;
      }
    }
    return true;
  }

  /** The samples of a snapshot of chunks, clipped to the querier's range. */
  private static final class ChunkListIterator extends ClippedChunkSequence {
    private final List<RuleSeries.TimedChunk> chunks;

    ChunkListIterator(List<RuleSeries.TimedChunk> chunks, long mint, long maxt) {
      this.chunks = chunks;
      restart(mint, maxt);
    }

    @Override
    protected int chunkCount() {
      return chunks.size();
    }

    @Override
    protected long chunkMinTime(int i) {
      return chunks.get(i).minT();
    }

    @Override
    protected long chunkMaxTime(int i) {
      return chunks.get(i).maxT();
    }

    @Override
    protected SampleIterator openChunk(int i, SampleIterator spare) {
      return chunks.get(i).chunk().iterator(spare);
    }
  }

  private final class StorageQuerier implements Querier {
    private final long mint;
    private final long maxt;

    StorageQuerier(long mint, long maxt) {
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
      List<Series> out = new ArrayList<>();
      lock.readLock().lock();
      try {
        for (Map.Entry<Labels, RuleSeries> e : series.entrySet()) {
          if (matches(e.getKey(), matchers)) {
            List<RuleSeries.TimedChunk> chunks = e.getValue().snapshot();
            Labels labels = e.getKey();
            out.add(new Series() {
              @Override
              public Labels labels() {
                return labels;
              }

              @Override
              public SampleIterator iterator(SampleIterator reuse) {
                return new ChunkListIterator(chunks, mint, maxt);
              }
            });
          }
        }
      } finally {
        lock.readLock().unlock();
      }
      return SeriesSet.of(out);
    }

    @Override
    public List<String> labelNames(Matcher... matchers) {
      TreeSet<String> out = new TreeSet<>(Utf8Order.COMPARATOR);
      lock.readLock().lock();
      try {
        for (Labels labels : series.keySet()) {
          if (matches(labels, matchers)) {
            labels.forEach((n, v) -> out.add(n));
          }
        }
      } finally {
        lock.readLock().unlock();
      }
      return List.copyOf(out);
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) {
      TreeSet<String> out = new TreeSet<>(Utf8Order.COMPARATOR);
      lock.readLock().lock();
      try {
        for (Labels labels : series.keySet()) {
          String v = labels.get(name);
          if (v != null && matches(labels, matchers)) {
            out.add(v);
          }
        }
      } finally {
        lock.readLock().unlock();
      }
      return List.copyOf(out);
    }

    @Override
    public void close() {}
  }
}
