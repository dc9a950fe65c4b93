package dev.orrery.downsample;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.block.Block;
import dev.orrery.core.block.BlockCreation;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.ChunkSegmentReader.RawChunk;
import dev.orrery.core.chunk.ChunkSegmentWriter;
import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.StaleNaN;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.XorChunkLanes;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.IndexReader;
import dev.orrery.core.index.IndexWriter;
import dev.orrery.core.index.Postings;
import dev.orrery.core.labels.Labels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the downsampled copy of a block (FORMATS.md 7.3, 7.4, 7.6): a raw block becomes a 5m block and a 5m block a
 * 1h block, with every series' chunks replaced by {@code AggrChunk}s (encoding 255). The new block keeps the source's
 * time range, compaction history, external labels and all its index symbols; it gets a new ULID, the target
 * resolution and {@code source: compactor}. Series without output chunks are left out. Float series only: a native
 * histogram chunk is an error naming the series. Stateless.
 */
public final class BlockDownsampler {
  private static final int AGGR = ChunkEncoding.AGGR.code();

  private BlockDownsampler() {}

  /**
   * Downsamples the block in {@code sourceDir} into a new block directory under {@code parentDir}; returns its meta.
   *
   * @throws OrreryException {@code BAD_QUERY} for a 1h block (the last level), {@code UNSUPPORTED} for a chunk
   *     encoding that is not downsampled, {@code CORRUPT_DATA} for a chunk of the wrong kind for the block's
   *     resolution
   * @throws IOException if reading or writing fails
   */
  public static BlockMeta downsample(Path sourceDir, Path parentDir) throws IOException {
    try (Block source = Block.open(sourceDir)) {
      BlockMeta meta = source.meta();
      long from = meta.thanos() == null ? 0 : meta.thanos().downsampleResolutionMillis();
      long to;
      if (from == 0) {
        to = RawDownsampler.RESOLUTION_5M;
      } else if (from == RawDownsampler.RESOLUTION_5M) {
        to = HourDownsampler.RESOLUTION_1H;
      } else {
        throw new OrreryException(ErrorCode.BAD_QUERY, "block " + sourceDir + " is at resolution " + from
            + " ms; only raw and 5m blocks are downsampled (1h is the last level)");
      }
      Ulid ulid = Ulid.generate();
      try (BlockCreation creation = BlockCreation.start(parentDir, ulid)) {
        long[] totals = new long[3];
        writeSeries(source, from, creation.dir(), totals);
        Map<String, String> labels = meta.thanos() == null ? Map.of() : meta.thanos().labels();
        BlockMeta out = new BlockMeta(ulid, meta.minTimeMillis(), meta.maxTimeMillis(),
            BlockMeta.Stats.of(totals[0], totals[1], totals[2]), meta.compaction(),
            BlockMeta.ThanosMeta.ofBlockFiles(creation.dir(), labels, to, "compactor"));
        creation.publish(out);
        return out;
      }
    }
  }

  /** Writes the chunks and index of the downsampled series; {@code totals} gets samples, series and chunks. */
  private static void writeSeries(Block source, long from, Path dir, long[] totals) throws IOException {
    IndexReader index = source.index();
    try (ChunkSegmentWriter chunks = ChunkSegmentWriter.open(dir.resolve("chunks"));
        IndexWriter out = IndexWriter.create(dir.resolve("index"))) {
      out.addSymbols(index.symbols());
      ChunkMetas in = new ChunkMetas();
      ChunkMetas written = new ChunkMetas();
      long[] refs = Postings.expand(index.allPostings());
      RawSeriesReader raw = new RawSeriesReader();
      for (long ref : refs) {
        Labels labels = index.series(ref, in.clear());
        List<DownsampledChunk> aggregates;
        if (from == 0) {
          aggregates = downsampleRaw(source, labels, in, raw);
        } else {
          aggregates = HourDownsampler.downsample(aggregateChunks(source, labels, in));
        }
        if (aggregates.isEmpty()) {
          continue;
        }
        int[] encodings = new int[aggregates.size()];
        ByteBuffer[] data = new ByteBuffer[aggregates.size()];
        for (int i = 0; i < data.length; i++) {
          encodings[i] = AGGR;
          data[i] = ByteBuffer.wrap(aggregates.get(i).data());
        }
        long[] chunkRefs = chunks.writeRecords(encodings, data);
        written.clear();
        for (int i = 0; i < chunkRefs.length; i++) {
          written.add(aggregates.get(i).minTime(), aggregates.get(i).maxTime(), chunkRefs[i]);
          totals[0] += countSamples(aggregates.get(i));
        }
        out.addSeries(labels, written);
        totals[1]++;
        totals[2] += chunkRefs.length;
      }
    }
  }

  /**
   * The 5m chunks of a raw series, read as Thanos reads them (7.3 step 1): per chunk, staleness markers dropped and
   * samples earlier than the previous one skipped (the check starts at 0 in every chunk); float (XOR) and native
   * histogram chunks are accumulated separately, and where the series switches between them, what was accumulated is
   * downsampled first.
   */
  private static List<DownsampledChunk> downsampleRaw(Block source, Labels labels, ChunkMetas metas,
      RawSeriesReader reader) {
    reader.start();
    for (int c = 0; c < metas.size(); c++) {
      RawChunk raw = source.chunks().rawChunk(metas.ref(c));
      ChunkEncoding encoding = ChunkEncoding.fromCode(raw.encoding());
      boolean histogram = encoding == ChunkEncoding.HISTOGRAM || encoding == ChunkEncoding.FLOAT_HISTOGRAM;
      if (!histogram && encoding != ChunkEncoding.XOR) {
        throw new OrreryException(ErrorCode.UNSUPPORTED, "series " + labels + " in block " + source.dir()
            + " has a chunk of encoding " + raw.encoding() + " at offset " + raw.dataOffset() + " of "
            + raw.resource() + ": only XOR, histogram and float histogram chunks are downsampled");
      }
      Chunk chunk = Chunk.of(encoding, raw.data(), raw.resource(), raw.dataOffset());
      if (histogram) {
        reader.addHistogramChunk(chunk);
      } else {
        reader.addFloatChunk(chunk);
      }
    }
    return reader.finish();
  }

  /**
   * Accumulates a raw series chunk by chunk, in order: float chunks decoded {@value XorChunkLanes#LANES} at a time,
   * histogram chunks one by one. Reused from series to series.
   */
  private static final class RawSeriesReader {
    private final List<Chunk> floatChunks = new ArrayList<>(XorChunkLanes.LANES);
    private final XorChunkLanes lanes = new XorChunkLanes();
    private final FloatSamples floats = new FloatSamples();
    private final HistogramSamples histograms = new HistogramSamples();
    private List<DownsampledChunk> out;

    void start() {
      out = new ArrayList<>();
    }

    void addFloatChunk(Chunk chunk) {
      floatChunks.add(chunk);
      if (floatChunks.size() == XorChunkLanes.LANES) {
        readFloatChunks();
      }
    }

    void addHistogramChunk(Chunk chunk) {
      readFloatChunks();
      read(chunk.iterator(null), true);
    }

    /** The series' 5m chunks. */
    List<DownsampledChunk> finish() {
      readFloatChunks();
      flush(floats, histograms, out);
      return out;
    }

    private void readFloatChunks() {
      if (floatChunks.isEmpty()) {
        return;
      }
      lanes.decode(floatChunks);
      for (int lane = 0; lane < floatChunks.size(); lane++) {
        read(lanes.iterator(lane), false);
      }
      floatChunks.clear();
    }

    /**
     * Reads one chunk's samples as Thanos does (7.3 step 1): staleness markers dropped, samples earlier than the
     * previous one skipped (the check starts at 0 in every chunk); where the series switches between float and
     * histogram chunks, what was accumulated is downsampled first.
     */
    private void read(SampleIterator it, boolean histogram) {
      if (histogram ? floats.count > 0 : histograms.count > 0) {
        flush(floats, histograms, out);
      }
      long lastT = 0;
      for (ValueType type = it.next(); type != ValueType.NONE; type = it.next()) {
        long t = it.atT();
        if (t < lastT) {
          continue;
        }
        if (type == ValueType.FLOAT) {
          if (StaleNaN.is(it.atV())) {
            continue;
          }
          floats.add(t, it.atV());
        } else {
          FloatHistogram h = type == ValueType.HISTOGRAM ? it.atHistogram().toFloat() : it.atFloatHistogram();
          if (StaleNaN.is(h.sum())) {
            continue;
          }
          histograms.add(t, h);
        }
        lastT = t;
      }
    }
  }

  /** Downsamples and empties what was accumulated (one of the two is empty). */
  private static void flush(FloatSamples floats, HistogramSamples histograms, List<DownsampledChunk> out) {
    if (floats.count > 0) {
      out.addAll(RawDownsampler.downsample(floats.ts, floats.values, floats.count));
      floats.count = 0;
    }
    if (histograms.count > 0) {
      out.addAll(RawDownsampler.downsampleHistograms(histograms.ts, histograms.values, histograms.count));
      histograms.count = 0;
    }
  }

  /** The aggregate chunks of a 5m series. */
  private static List<DownsampledChunk> aggregateChunks(Block source, Labels labels, ChunkMetas metas) {
    List<DownsampledChunk> out = new ArrayList<>(metas.size());
    for (int c = 0; c < metas.size(); c++) {
      RawChunk raw = source.chunks().rawChunk(metas.ref(c));
      if (raw.encoding() != AGGR) {
        throw new OrreryException(ErrorCode.CORRUPT_DATA, "series " + labels + " in 5m block " + source.dir()
            + " has a chunk of encoding " + raw.encoding() + " at offset " + raw.dataOffset() + " of "
            + raw.resource() + " where an aggregate chunk (255) belongs");
      }
      ByteBuffer data = raw.data();
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      out.add(new DownsampledChunk(metas.minTime(c), metas.maxTime(c), bytes));
    }
    return out;
  }

  /** Windows in a downsampled chunk: the samples of its count slot. */
  private static long countSamples(DownsampledChunk chunk) {
    return AggrChunkSlots.chunks(ByteBuffer.wrap(chunk.data()), "aggregate chunk", -1)[AggrChunkSlots.COUNT]
        .numSamples();
  }
}
