package dev.orrery.core.block;

import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkSegmentWriter;
import dev.orrery.core.chunk.FloatHistogramAppender;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.IndexWriter;
import dev.orrery.core.labels.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import dev.orrery.core.labels.Utf8Order;

/**
 * Writes one TSDB block that Prometheus and Thanos can open: {@code chunks/000001...}, {@code index},
 * {@code tombstones} and {@code meta.json}. Samples may arrive in any order and for series in any order; they are
 * gathered in memory (primitive arrays per series) and written at {@link #commit()}, which cuts XOR chunks of
 * {@link Builder#samplesPerChunk(int) 120 samples} (float histogram chunks for native histogram samples), writes the index in label order, and renames the finished
 * {@code <ulid>.tmp-for-creation} directory to {@code <ulid>} so readers never see a half-written block.
 *
 * <p>The block's time range is {@code [first sample, last sample + 1)}, as promtool writes it. Confined to one thread.
 *
 * {@snippet :
 * try (BlockWriter w = BlockWriter.builder(dataDir).build()) {
 *   w.append(Labels.of("__name__", "up", "job", "api"), 1704067200000L, 1);
 *   BlockMeta meta = w.commit();
 * }
 * }
 */
public final class BlockWriter implements AutoCloseable {
  /** Samples per XOR chunk, as Prometheus' head cuts them. */
  public static final int DEFAULT_SAMPLES_PER_CHUNK = 120;
  /** Prometheus' default maximum chunk segment file size (512 MiB). */
  public static final long DEFAULT_SEGMENT_BYTES = 512L * 1024 * 1024;

  private final Path parentDir;
  private final int samplesPerChunk;
  private final long segmentBytes;
  private final Map<String, String> externalLabels;
  private final String source;
  private final boolean legacyIndexLayout;
  private final Map<Labels, SeriesSamples> series = new HashMap<>();
  private boolean done;

  private BlockWriter(Builder b) {
    this.parentDir = b.parentDir;
    this.samplesPerChunk = b.samplesPerChunk;
    this.segmentBytes = b.segmentBytes;
    this.externalLabels = b.externalLabels;
    this.source = b.source;
    this.legacyIndexLayout = b.legacyIndexLayout;
  }

  /** A builder for a block to be created inside {@code parentDir}. */
  public static Builder builder(Path parentDir) {
    return new Builder(parentDir);
  }

  /**
   * Adds a float sample. Series labels must be non-empty; a timestamp given twice must carry the same value.
   *
   * @throws IllegalStateException after {@link #commit()}
   */
  public void append(Labels labels, long timestampMillis, double value) {
    if (done) {
      throw new IllegalStateException("block writer is committed");
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("series without labels");
    }
    series.computeIfAbsent(labels, k -> new SeriesSamples()).append(timestampMillis, value);
  }

  /**
   * Adds a native histogram sample (written in float histogram chunks). A series may hold float and histogram samples
   * at different times; a timestamp given twice must carry the same sample.
   *
   * @throws IllegalStateException after {@link #commit()}
   */
  public void append(Labels labels, long timestampMillis, FloatHistogram histogram) {
    if (done) {
      throw new IllegalStateException("block writer is committed");
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("series without labels");
    }
    series.computeIfAbsent(labels, k -> new SeriesSamples()).append(timestampMillis,
        Objects.requireNonNull(histogram, "histogram is null"));
  }

  /** True when nothing was appended. */
  public boolean isEmpty() {
    return series.isEmpty();
  }

  /**
   * Writes the block and returns its meta.
   *
   * @throws IllegalStateException if no sample was appended, or when called twice
   * @throws IllegalArgumentException if a timestamp was appended twice with different values
   */
  public BlockMeta commit() throws IOException {
    if (done) {
      throw new IllegalStateException("block writer is committed");
    }
    if (series.isEmpty()) {
      throw new IllegalStateException("no samples to write");
    }
    done = true;
    List<Map.Entry<Labels, SeriesSamples>> sorted = new ArrayList<>(series.entrySet());
    sorted.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));

    Ulid ulid = Ulid.generate();
    long minTime = Long.MAX_VALUE;
    long maxTime = Long.MIN_VALUE;
    long numSamples = 0;
    long numChunks = 0;
    TreeSet<String> symbols = new TreeSet<>(Utf8Order.COMPARATOR);
    symbols.add("");
    for (Map.Entry<Labels, SeriesSamples> e : sorted) {
      e.getValue().sortAndDedupe(e.getKey());
      e.getKey().forEach((n, v) -> {
        symbols.add(n);
        symbols.add(v);
      });
    }
    BlockMeta meta;
    try (BlockCreation creation = BlockCreation.start(parentDir, ulid)) {
      Path tmp = creation.dir();
      try (ChunkSegmentWriter chunks = new ChunkSegmentWriter(tmp.resolve("chunks"), segmentBytes);
          IndexWriter index = IndexWriter.create(tmp.resolve("index"),
              legacyIndexLayout ? IndexWriter.Layout.LEGACY : IndexWriter.Layout.CURRENT)) {
        index.addSymbols(symbols);
        XorAppender appender = new XorAppender();
        ChunkMetas metas = new ChunkMetas();
        List<Chunk> chunkList = new ArrayList<>();
        for (Map.Entry<Labels, SeriesSamples> e : sorted) {
          SeriesSamples s = e.getValue();
          metas.clear();
          chunkList.clear();
          if (s.h == null) {
            cutFloats(s, 0, s.size, appender, chunkList, metas);
          } else {
            cutMixed(s, appender, chunkList, metas);
          }
          long[] refs = chunks.writeSeries(chunkList);
          for (int i = 0; i < refs.length; i++) {
            metas.set(i, metas.minTime(i), metas.maxTime(i), refs[i]);
          }
          index.addSeries(e.getKey(), metas);
          minTime = Math.min(minTime, s.t[0]);
          maxTime = Math.max(maxTime, s.t[s.size - 1]);
          numSamples += s.size;
          numChunks += refs.length;
        }
      }
      BlockMeta.ThanosMeta thanos = externalLabels == null ? null
          : BlockMeta.ThanosMeta.ofBlockFiles(tmp, externalLabels, 0, source);
      meta = new BlockMeta(ulid, minTime, maxTime + 1, BlockMeta.Stats.of(numSamples, sorted.size(), numChunks),
          BlockMeta.Compaction.level1(ulid), thanos);
      creation.publish(meta);
    }
    series.clear();
    return meta;
  }

  /** Cuts the float samples {@code [from, to)} into XOR chunks. */
  private void cutFloats(SeriesSamples s, int from, int to, XorAppender appender, List<Chunk> chunkList,
      ChunkMetas metas) {
    for (int at = from; at < to; at += samplesPerChunk) {
      int end = Math.min(to, at + samplesPerChunk);
      appender.reset();
      appender.appendAll(s.t, s.v, at, end);
      chunkList.add(appender.toChunk());
      metas.add(s.t[at], s.t[end - 1], 0);
    }
  }

  /**
   * Cuts a series with histogram samples: runs of floats into XOR chunks, runs of histograms into float histogram
   * chunks, each cut at the chunk size and where a histogram does not fit (another bucket layout, a counter reset).
   */
  private void cutMixed(SeriesSamples s, XorAppender appender, List<Chunk> chunkList, ChunkMetas metas) {
    for (int from = 0; from < s.size; ) {
      boolean histograms = s.h[from] != null;
      int end = from + 1;
      while (end < s.size && (s.h[end] != null) == histograms) {
        end++;
      }
      if (!histograms) {
        cutFloats(s, from, end, appender, chunkList, metas);
      } else {
        FloatHistogramAppender chunk = new FloatHistogramAppender();
        int first = from;
        for (int i = from; i < end; i++) {
          if (chunk.numSamples() == samplesPerChunk || (chunk.numSamples() > 0 && !chunk.append(s.t[i], s.h[i]))) {
            chunkList.add(chunk.toChunk());
            metas.add(s.t[first], s.t[i - 1], 0);
            chunk.reset();
            first = i;
          }
          if (chunk.numSamples() == 0) {
            chunk.append(s.t[i], s.h[i]);
          }
        }
        chunkList.add(chunk.toChunk());
        metas.add(s.t[first], s.t[end - 1], 0);
      }
      from = end;
    }
  }

  /** Discards a block that was not committed. */
  @Override
  public void close() {
    done = true;
    series.clear();
  }

  /** Options of a {@link BlockWriter}. */
  public static final class Builder {
    private final Path parentDir;
    private int samplesPerChunk = DEFAULT_SAMPLES_PER_CHUNK;
    private long segmentBytes = DEFAULT_SEGMENT_BYTES;
    private Map<String, String> externalLabels;
    private String source = "";
    private boolean legacyIndexLayout;

    private Builder(Path parentDir) {
      this.parentDir = Objects.requireNonNull(parentDir, "parentDir is null");
    }

    /** Samples per XOR chunk (default 120). */
    public Builder samplesPerChunk(int n) {
      if (n < 1 || n > 65535) {
        throw new IllegalArgumentException("samples per chunk must be in [1, 65535]: " + n);
      }
      this.samplesPerChunk = n;
      return this;
    }

    /** Maximum chunk segment file size (default 512 MiB). */
    public Builder segmentBytes(long bytes) {
      if (bytes < 64) {
        throw new IllegalArgumentException("segment size too small: " + bytes);
      }
      this.segmentBytes = bytes;
      return this;
    }

    /**
     * Writes a Thanos section with these external labels (for example {@code cluster}, {@code environment} and a
     * replica label), as a block in a Thanos bucket carries them. Without this the block is a plain Prometheus block.
     */
    public Builder externalLabels(Map<String, String> labels) {
      this.externalLabels = new TreeMap<>(labels);
      return this;
    }

    /** The Thanos {@code source} field (e.g. {@code sidecar}); only with {@link #externalLabels}. */
    public Builder source(String source) {
      this.source = Objects.requireNonNull(source, "source is null");
      return this;
    }

    /** Writes the legacy label-index sections that Prometheus 2.x writes (for byte-identical fixtures). */
    public Builder legacyIndexLayout(boolean legacy) {
      this.legacyIndexLayout = legacy;
      return this;
    }

    /** The writer. */
    public BlockWriter build() {
      return new BlockWriter(this);
    }

    Path parentDir() {
      return parentDir;
    }
  }
}
