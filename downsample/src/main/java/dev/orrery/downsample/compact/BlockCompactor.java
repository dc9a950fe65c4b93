package dev.orrery.downsample.compact;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.block.Block;
import dev.orrery.core.block.BlockCreation;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.block.Ulid;
import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.ChunkSegmentReader.RawChunk;
import dev.orrery.core.chunk.ChunkSegmentWriter;
import dev.orrery.core.chunk.FloatHistogramAppender;
import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.HistogramAppender;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.IndexWriter;
import dev.orrery.core.index.Postings;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Utf8Order;
import dev.orrery.core.dedup.PenaltySampleIterator;
import dev.orrery.core.storage.ChainSampleIterator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Merges the blocks of one compaction group into one new block (FORMATS.md 6.6), as Prometheus' leveled compactor
 * does: the series of all blocks in label order, the index symbols of all blocks, and a meta with the union of the
 * time ranges and sources, the blocks as parents, one level above the highest, and {@code thanos.source: compactor}.
 *
 * <p>A series whose chunks follow one another in time, without tombstones, keeps its chunks byte for byte, whatever
 * their encoding (XOR, native histogram, or a downsampled block's aggregate chunks). A series whose chunks overlap,
 * which happens when blocks overlap (vertical compaction), or whose samples tombstones delete, is decoded and merged
 * sample by sample (at equal timestamps the block that starts first wins, Prometheus' chained merge) and cut again into
 * chunks of up to {@value BlockWriter#DEFAULT_SAMPLES_PER_CHUNK} samples (XOR for floats; histogram or float histogram
 * chunks for native histograms, cut also where a histogram does not fit the chunk's layout or is a counter reset);
 * with {@link MergeFunction#PENALTY} the replicas are deduplicated instead, as the querier does. An overlapping
 * aggregate series is an error naming it, as Thanos refuses vertical compaction of downsampled blocks.
 *
 * <p>Replica labels (Thanos' {@code --deduplication.replica-label}) are left out of the external labels, so that the
 * blocks of a Prometheus pair form one group and compact into one block without them.
 *
 * <p>Stateless.
 */
public final class BlockCompactor {
  private static final String SOURCE = "compactor";
  private static final int AGGR = ChunkEncoding.AGGR.code();

  private BlockCompactor() {}

  /** How the samples of a series whose blocks overlap are merged (Thanos' {@code --deduplication.func}). */
  public enum MergeFunction {
    /** Every timestamp once, the block that starts first winning ties: Prometheus' vertical compaction. */
    CHAIN,
    /**
     * Replicas deduplicated with the querier's penalty algorithm (FORMATS.md 9.2, without counter adjustment): the
     * blocks of each replica (its full external labels) are chained, then the replicas merged so that the output keeps
     * one replica's sampling and switches only at gaps.
     */
    PENALTY
  }

  /**
   * Same as {@link #compact(List, Path, Set, MergeFunction)} with no replica labels and {@link MergeFunction#CHAIN}.
   */
  public static Optional<BlockMeta> compact(List<Path> blockDirs, Path parentDir) throws IOException {
    return compact(blockDirs, parentDir, Set.of(), MergeFunction.CHAIN);
  }

  /**
   * Writes the block merged from {@code blockDirs} into a new directory under {@code parentDir} and returns its meta,
   * or nothing when the blocks hold no samples (tombstones deleted them all), as Prometheus writes no empty block.
   *
   * @param replicaLabels external labels that tell replicas apart (Thanos' {@code --deduplication.replica-label}):
   *     they are left out when blocks are grouped and from the merged block's external labels, so the replicas of a
   *     Prometheus pair compact into one block
   * @param merge how overlapping series are merged
   * @throws IllegalArgumentException if fewer than two blocks are given, or they differ in external labels (apart from
   *     the replica labels) or resolution: they belong to different compaction groups
   * @throws OrreryException {@code UNSUPPORTED} for overlapping series of downsampled blocks (aggregate chunks)
   * @throws IOException if a block cannot be read or the new one written
   */
  public static Optional<BlockMeta> compact(List<Path> blockDirs, Path parentDir, Set<String> replicaLabels,
      MergeFunction merge) throws IOException {
    if (blockDirs.size() < 2) {
      throw new IllegalArgumentException("compaction needs at least two blocks, got " + blockDirs);
    }
    List<Block> blocks = new ArrayList<>(blockDirs.size());
    try {
      for (Path dir : blockDirs) {
        blocks.add(Block.open(dir));
      }
      blocks.sort(Comparator.comparingLong((Block b) -> b.meta().minTimeMillis()).thenComparing(b -> b.meta().ulid()));
      BlockMeta.@Nullable ThanosMeta group = sameGroup(blocks, replicaLabels);
      Ulid ulid = Ulid.generate();
      try (BlockCreation creation = BlockCreation.start(parentDir, ulid)) {
        Totals totals = writeSeries(blocks, creation.dir(), merge);
        if (totals.samples == 0) {
          return Optional.empty();
        }
        BlockMeta.@Nullable ThanosMeta thanos = group == null ? null
            : BlockMeta.ThanosMeta.ofBlockFiles(creation.dir(), group.labels(), group.downsampleResolutionMillis(),
                SOURCE);
        BlockMeta meta = mergedMeta(ulid, blocks, totals, thanos);
        creation.publish(meta);
        return Optional.of(meta);
      }
    } finally {
      Block.closeAll(blocks);
    }
  }

  /**
   * The Thanos section the blocks share once the replica labels are left out, with those labels removed ({@code null}
   * when no block has one).
   */
  private static BlockMeta.@Nullable ThanosMeta sameGroup(List<Block> blocks, Set<String> replicaLabels) {
    BlockMeta.@Nullable ThanosMeta first = blocks.get(0).meta().thanos();
    Map<String, String> labels = withoutReplicas(first, replicaLabels);
    for (Block b : blocks) {
      BlockMeta.@Nullable ThanosMeta t = b.meta().thanos();
      boolean same = first == null ? t == null
          : t != null && withoutReplicas(t, replicaLabels).equals(labels)
              && t.downsampleResolutionMillis() == first.downsampleResolutionMillis();
      if (!same) {
        throw new IllegalArgumentException("blocks " + blocks.get(0).dir() + " and " + b.dir()
            + " are in different compaction groups (external labels " + labels + " vs "
            + withoutReplicas(t, replicaLabels) + ", resolution " + resolutionOf(first) + " vs " + resolutionOf(t)
            + " ms)");
      }
    }
    return first == null ? null
        : BlockMeta.ThanosMeta.of(labels, first.downsampleResolutionMillis(), first.source());
  }

  private static Map<String, String> withoutReplicas(BlockMeta.@Nullable ThanosMeta t, Set<String> replicaLabels) {
    if (t == null) {
      return Map.of();
    }
    Map<String, String> out = new TreeMap<>(t.labels());
    out.keySet().removeAll(replicaLabels);
    return out;
  }

  private static Map<String, String> labelsOf(BlockMeta.@Nullable ThanosMeta t) {
    return t == null ? Map.of() : t.labels();
  }

  private static long resolutionOf(BlockMeta.@Nullable ThanosMeta t) {
    return t == null ? 0 : t.downsampleResolutionMillis();
  }

  /** Prometheus' compacted meta: union of time ranges and sources, the blocks as parents, level above the highest. */
  private static BlockMeta mergedMeta(Ulid ulid, List<Block> blocks, Totals totals,
      BlockMeta.@Nullable ThanosMeta thanos) {
    long minTime = Long.MAX_VALUE;
    long maxTime = Long.MIN_VALUE;
    int level = 0;
    TreeSet<Ulid> sources = new TreeSet<>();
    List<BlockMeta.BlockDesc> parents = new ArrayList<>(blocks.size());
    for (Block b : blocks) {
      BlockMeta m = b.meta();
      minTime = Math.min(minTime, m.minTimeMillis());
      maxTime = Math.max(maxTime, m.maxTimeMillis());
      level = Math.max(level, m.compaction().level());
      sources.addAll(m.compaction().sources());
      parents.add(new BlockMeta.BlockDesc(m.ulid(), m.minTimeMillis(), m.maxTimeMillis()));
    }
    BlockMeta.Compaction compaction = new BlockMeta.Compaction(level + 1, List.copyOf(sources), false, parents,
        false, List.of());
    return new BlockMeta(ulid, minTime, maxTime, BlockMeta.Stats.of(totals.samples, totals.series, totals.chunks),
        compaction, thanos);
  }

  /** Writes the index and chunks of the merged series into {@code dir}. */
  private static Totals writeSeries(List<Block> blocks, Path dir, MergeFunction merge) throws IOException {
    TreeSet<String> symbols = new TreeSet<>(Utf8Order.COMPARATOR);
    List<SeriesCursor> cursors = new ArrayList<>(blocks.size());
    for (Block b : blocks) {
      symbols.addAll(b.index().symbols());
      SeriesCursor c = new SeriesCursor(b);
      if (c.advance()) {
        cursors.add(c);
      }
    }
    Totals totals = new Totals();
    try (ChunkSegmentWriter chunks = ChunkSegmentWriter.open(dir.resolve("chunks"));
        IndexWriter index = IndexWriter.create(dir.resolve("index"))) {
      index.addSymbols(symbols);
      SeriesMerger merger = new SeriesMerger(chunks, merge);
      List<SeriesCursor> parts = new ArrayList<>(cursors.size());
      while (!cursors.isEmpty()) {
        Labels smallest = cursors.get(0).labels;
        for (SeriesCursor c : cursors) {
          if (c.labels.compareTo(smallest) < 0) {
            smallest = c.labels;
          }
        }
        parts.clear();
        for (SeriesCursor c : cursors) {
          if (c.labels.equals(smallest)) {
            parts.add(c);
          }
        }
        ChunkMetas written = merger.write(smallest, parts, totals);
        if (!written.isEmpty()) {
          index.addSeries(smallest, written);
          totals.series++;
          totals.chunks += written.size();
        }
        for (SeriesCursor c : parts) {
          if (!c.advance()) {
            cursors.remove(c);
          }
        }
      }
    }
    return totals;
  }

  /** One block's series in label order (the order of the index' series section). */
  private static final class SeriesCursor {
    final Block block;
    private final long[] refs;
    private int next;
    long ref;
    Labels labels;
    final ChunkMetas metas = new ChunkMetas();

    SeriesCursor(Block block) {
      this.block = block;
      this.refs = Postings.expand(block.index().allPostings());
    }

    boolean advance() {
      if (next == refs.length) {
        return false;
      }
      ref = refs[next++];
      labels = block.index().series(ref, metas.clear());
      return true;
    }
  }

  /** Writes one series from its parts in the source blocks, copying chunks where it can. */
  private static final class SeriesMerger {
    private final ChunkSegmentWriter chunks;
    private final ChunkMetas out = new ChunkMetas();
    private final FloatSamples samples = new FloatSamples();
    private final XorAppender appender = new XorAppender();

    private final MergeFunction function;

    SeriesMerger(ChunkSegmentWriter chunks, MergeFunction function) {
      this.chunks = chunks;
      this.function = function;
    }

    ChunkMetas write(Labels labels, List<SeriesCursor> parts, Totals totals) throws IOException {
      out.clear();
      if (canCopy(parts)) {
        copy(parts, totals);
      } else {
        merge(labels, parts, totals);
      }
      return out;
    }

    /** True when the parts' chunks follow one another in time and no tombstone touches them. */
    private static boolean canCopy(List<SeriesCursor> parts) {
      long previousMax = Long.MIN_VALUE;
      boolean first = true;
      for (SeriesCursor p : parts) {
        if (!p.block.tombstones().get(p.ref).isEmpty()) {
          return false;
        }
        for (int i = 0; i < p.metas.size(); i++) {
          if (!first && p.metas.minTime(i) <= previousMax) {
            return false;
          }
          first = false;
          previousMax = p.metas.maxTime(i);
        }
      }
      return true;
    }

    private void copy(List<SeriesCursor> parts, Totals totals) throws IOException {
      int n = 0;
      for (SeriesCursor p : parts) {
        n += p.metas.size();
      }
      int[] encodings = new int[n];
      ByteBuffer[] data = new ByteBuffer[n];
      int k = 0;
      for (SeriesCursor p : parts) {
        for (int i = 0; i < p.metas.size(); i++, k++) {
          RawChunk raw = p.block.chunks().rawChunk(p.metas.ref(i));
          encodings[k] = raw.encoding();
          data[k] = raw.data();
          totals.samples += samplesIn(raw);
          out.add(p.metas.minTime(i), p.metas.maxTime(i), 0);
        }
      }
      long[] refs = chunks.writeRecords(encodings, data);
      for (int i = 0; i < refs.length; i++) {
        out.set(i, out.minTime(i), out.maxTime(i), refs[i]);
      }
    }

    /**
     * Decodes the parts, merges them in time order and writes new chunks: XOR for float samples, histogram or float
     * histogram chunks for native histograms.
     */
    private void merge(Labels labels, List<SeriesCursor> parts, Totals totals) throws IOException {
      SampleIterator[] its = new SampleIterator[parts.size()];
      boolean histograms = false;
      for (int i = 0; i < its.length; i++) {
        SeriesCursor p = parts.get(i);
        for (int c = 0; c < p.metas.size(); c++) {
          RawChunk raw = p.block.chunks().rawChunk(p.metas.ref(c));
          int e = raw.encoding();
          if (e == ChunkEncoding.HISTOGRAM.code() || e == ChunkEncoding.FLOAT_HISTOGRAM.code()) {
            histograms = true;
          } else if (e != ChunkEncoding.XOR.code()) {
            throw notMergeable(labels, p, raw);
          }
        }
        its[i] = p.block.samples(p.ref, p.metas);
      }
      SampleIterator merged = switch (function) {
        case CHAIN -> new ChainSampleIterator(its);
        case PENALTY -> PenaltySampleIterator.merge(replicas(parts, its), false);
      };
      List<Chunk> cut = histograms ? cutMixed(merged, totals) : cutFloats(merged, totals);
      long[] refs = chunks.writeSeries(cut);
      for (int i = 0; i < refs.length; i++) {
        out.set(i, out.minTime(i), out.maxTime(i), refs[i]);
      }
    }

    /** Float samples only: copied out in bulk and cut into XOR chunks of the block writer's size. */
    private List<Chunk> cutFloats(SampleIterator merged, Totals totals) {
      samples.count = 0;
      merged.appendFloats(samples, Long.MAX_VALUE);
      List<Chunk> cut = new ArrayList<>();
      for (int from = 0; from < samples.count; from += BlockWriter.DEFAULT_SAMPLES_PER_CHUNK) {
        int to = Math.min(samples.count, from + BlockWriter.DEFAULT_SAMPLES_PER_CHUNK);
        appender.reset();
        appender.appendAll(samples.ts, samples.values, from, to);
        cut.add(appender.toChunk());
        out.add(samples.ts[from], samples.ts[to - 1], 0);
      }
      totals.samples += samples.count;
      return cut;
    }

    /**
     * Samples of any kind, one at a time: a new chunk starts at the block writer's size, where the kind changes, and
     * where a histogram does not fit the chunk (another bucket layout, a counter reset).
     */
    private List<Chunk> cutMixed(SampleIterator merged, Totals totals) {
      List<Chunk> cut = new ArrayList<>();
      ValueType open = ValueType.NONE;
      int inChunk = 0;
      long first = 0;
      long last = 0;
      HistogramAppender histogram = new HistogramAppender();
      FloatHistogramAppender floatHistogram = new FloatHistogramAppender();
      for (ValueType type = merged.next(); type != ValueType.NONE; type = merged.next()) {
        long t = merged.atT();
        boolean fits = type == open && inChunk < BlockWriter.DEFAULT_SAMPLES_PER_CHUNK && switch (type) {
          case FLOAT -> {
            appender.append(t, merged.atV());
            yield true;
          }
          case HISTOGRAM -> histogram.append(t, merged.atHistogram());
          case FLOAT_HISTOGRAM -> floatHistogram.append(t, merged.atFloatHistogram());
          case NONE -> false;
        };
        if (!fits) {
          if (inChunk > 0) {
            cut.add(chunkOf(open, histogram, floatHistogram));
            out.add(first, last, 0);
          }
          appender.reset();
          histogram.reset();
          floatHistogram.reset();
          switch (type) {
            case FLOAT -> appender.append(t, merged.atV());
            case HISTOGRAM -> histogram.append(t, merged.atHistogram());
            case FLOAT_HISTOGRAM -> floatHistogram.append(t, merged.atFloatHistogram());
            case NONE -> throw new IllegalStateException("unreachable");
          }
          open = type;
          inChunk = 0;
          first = t;
        }
        inChunk++;
        last = t;
        totals.samples++;
      }
      if (inChunk > 0) {
        cut.add(chunkOf(open, histogram, floatHistogram));
        out.add(first, last, 0);
      }
      return cut;
    }

    private Chunk chunkOf(ValueType type, HistogramAppender histogram, FloatHistogramAppender floatHistogram) {
      return switch (type) {
        case FLOAT -> appender.toChunk();
        case HISTOGRAM -> histogram.toChunk();
        case FLOAT_HISTOGRAM -> floatHistogram.toChunk();
        case NONE -> throw new IllegalStateException("no chunk is open");
      };
    }

    /** The parts' iterators chained per replica (blocks with the same full external labels), in block order. */
    private static List<SampleIterator> replicas(List<SeriesCursor> parts, SampleIterator[] its) {
      Map<Map<String, String>, List<SampleIterator>> byReplica = new LinkedHashMap<>();
      for (int i = 0; i < its.length; i++) {
        byReplica.computeIfAbsent(labelsOf(parts.get(i).block.meta().thanos()), k -> new ArrayList<>()).add(its[i]);
      }
      List<SampleIterator> out = new ArrayList<>(byReplica.size());
      for (List<SampleIterator> replica : byReplica.values()) {
        out.add(replica.size() == 1 ? replica.get(0) : new ChainSampleIterator(replica.toArray(SampleIterator[]::new)));
      }
      return out;
    }

    private static OrreryException notMergeable(Labels labels, SeriesCursor p, RawChunk raw) {
      return new OrreryException(ErrorCode.UNSUPPORTED, "series " + labels + " overlaps in time across the blocks"
          + " being compacted or has deleted samples, and its chunk at offset " + raw.dataOffset() + " of "
          + raw.resource() + " has encoding " + raw.encoding() + "; only float and native histogram series are"
          + " merged sample by sample (overlapping downsampled blocks are not compacted vertically)");
    }

    /** Samples in a stored chunk: the header count, or for an aggregate chunk the windows of its count slot. */
    private static long samplesIn(RawChunk raw) {
      if (raw.encoding() == AGGR) {
        return AggrChunkSlots.chunks(raw.data(), raw.resource(), raw.dataOffset())[AggrChunkSlots.COUNT].numSamples();
      }
      return Chunk.of(raw.encoding(), raw.data(), raw.resource(), raw.dataOffset()).numSamples();
    }
  }

  /** Counts for the merged block's {@code stats}. */
  private static final class Totals {
    long samples;
    long series;
    long chunks;
  }
}
