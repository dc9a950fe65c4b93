package dev.orrery.promql.rules;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.ClippedChunkSequence;
import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.chunk.XorChunk;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.labels.Utf8Order;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The ruler's own samples: the series its recording rules write and the {@code ALERTS} and {@code ALERTS_FOR_STATE}
 * series of its alerting rules. They are kept in memory as XOR chunks of {@value #SAMPLES_PER_CHUNK} samples, are
 * queryable (so a rule sees what the rules before it recorded, and the HTTP API serves them), and are written out as
 * blocks by {@link #flush} once old enough, for the shipper to upload.
 *
 * <p>Thread-safe: rule groups append concurrently while queries read.
 */
public final class RuleStorage implements Queryable {
  /** Samples per chunk, as Prometheus' head cuts them. */
  public static final int SAMPLES_PER_CHUNK = 120;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final TreeMap<Labels, SeriesBuffer> series = new TreeMap<>();

  /**
   * Appends a sample. A sample at or before the series' last one is dropped, as the head drops out-of-order samples.
   *
   * @return whether it was stored
   */
  public boolean append(Labels labels, long timestampMillis, double value) {
    lock.writeLock().lock();
    try {
      return series.computeIfAbsent(labels, k -> new SeriesBuffer()).append(timestampMillis, value);
    } finally {
      lock.writeLock().unlock();
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
   * Writes every sample before {@code beforeMillis} as one block under {@code dataDir} (external labels and {@code
   * source: ruler} in its meta when {@code externalLabels} is not empty) and drops them from memory; returns the
   * block, or nothing when no sample was that old. Series left without samples are forgotten.
   *
   * @throws IOException if the block cannot be written; the samples are then kept
   */
  public Optional<BlockMeta> flush(long beforeMillis, Path dataDir, Map<String, String> externalLabels)
      throws IOException {
    lock.writeLock().lock();
    try {
      BlockWriter.Builder builder = BlockWriter.builder(dataDir);
      if (!externalLabels.isEmpty()) {
        builder.externalLabels(externalLabels).source("ruler");
      }
      try (BlockWriter writer = builder.build()) {
        // Each series is decoded once: its samples are written, then the newer ones kept.
        List<FloatSamples> decoded = new ArrayList<>(series.size());
        for (Map.Entry<Labels, SeriesBuffer> e : series.entrySet()) {
          FloatSamples samples = e.getValue().samples();
          decoded.add(samples);
          for (int i = 0; i < samples.count && samples.ts[i] < beforeMillis; i++) {
            writer.append(e.getKey(), samples.ts[i], samples.values[i]);
          }
        }
        if (writer.isEmpty()) {
          return Optional.empty();
        }
        BlockMeta meta = writer.commit();
        Iterator<SeriesBuffer> it = series.values().iterator();
        for (FloatSamples samples : decoded) {
          if (it.next().keepFrom(beforeMillis, samples)) {
            it.remove();
          }
        }
        return Optional.of(meta);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public Querier querier(long minTimeMillis, long maxTimeMillis) {
    return new StorageQuerier(minTimeMillis, maxTimeMillis);
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

  /** A chunk with the times of its first and last sample. */
  private record TimedChunk(XorChunk chunk, long minT, long maxT) {}

  /** One series: full chunks, and the chunk being appended to. */
  private static final class SeriesBuffer {
    private final List<TimedChunk> full = new ArrayList<>();
    private final XorAppender open = new XorAppender();
    private long lastT = Long.MIN_VALUE;

    boolean append(long t, double v) {
      if (t <= lastT) {
        return false;
      }
      if (open.numSamples() == SAMPLES_PER_CHUNK) {
        full.add(new TimedChunk(open.toChunk(), open.minTimeMillis(), open.maxTimeMillis()));
        open.reset();
      }
      open.append(t, v);
      lastT = t;
      return true;
    }

    /** The chunks as of now: copies, so readers never see a chunk change. */
    List<TimedChunk> snapshot() {
      List<TimedChunk> out = new ArrayList<>(full.size() + 1);
      out.addAll(full);
      if (open.numSamples() > 0) {
        out.add(new TimedChunk(open.toChunk(), open.minTimeMillis(), open.maxTimeMillis()));
      }
      return out;
    }

    /** Every sample, in time order. */
    FloatSamples samples() {
      FloatSamples out = new FloatSamples();
      SampleIterator it = null;
      for (TimedChunk c : snapshot()) {
        it = c.chunk().iterator(it);
        it.appendFloats(out, Long.MAX_VALUE);
      }
      return out;
    }

    /** Keeps only the samples of {@code all} (this series' samples) from {@code before} on; whether none are left. */
    boolean keepFrom(long before, FloatSamples all) {
      full.clear();
      open.reset();
      long last = lastT;
      lastT = Long.MIN_VALUE;
      int kept = 0;
      for (int i = 0; i < all.count; i++) {
        if (all.ts[i] >= before) {
          append(all.ts[i], all.values[i]);
          kept++;
        }
      }
      // Appends after a flush still may not go back before what was stored.
      lastT = last;
      return kept == 0;
    }
  }

  /** The samples of a snapshot of chunks, clipped to the querier's range. */
  private static final class ChunkListIterator extends ClippedChunkSequence {
    private final List<TimedChunk> chunks;

    ChunkListIterator(List<TimedChunk> chunks, long mint, long maxt) {
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
        for (Map.Entry<Labels, SeriesBuffer> e : series.entrySet()) {
          if (matches(e.getKey(), matchers)) {
            List<TimedChunk> chunks = e.getValue().snapshot();
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
