package dev.orrery.core.testing;

import dev.orrery.core.block.BlockCreation;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkSegmentWriter;
import dev.orrery.core.chunk.FloatHistogramAppender;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.IndexWriter;
import dev.orrery.core.labels.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Raw blocks with native histogram series for tests (the block writer takes floats only): series given as their
 * chunks, and float histogram samples cut into chunks as Prometheus' head cuts them (at 120 samples, or where a sample
 * does not fit, e.g. a counter reset).
 */
public final class NativeHistogramBlocks {
  private NativeHistogramBlocks() {}

  /** The chunks of {@code hs[0..n-1]} at {@code ts}: a new chunk every 120 samples or where one does not fit. */
  public static List<Chunk> chunks(long[] ts, FloatHistogram[] hs, int n) {
    List<Chunk> out = new ArrayList<>();
    FloatHistogramAppender a = new FloatHistogramAppender();
    for (int i = 0; i < n; i++) {
      if (a.numSamples() == 120 || (a.numSamples() > 0 && !a.append(ts[i], hs[i]))) {
        out.add(a.toChunk());
        a = new FloatHistogramAppender();
        a.append(ts[i], hs[i]);
      } else if (a.numSamples() == 0) {
        a.append(ts[i], hs[i]);
      }
    }
    if (a.numSamples() > 0) {
      out.add(a.toChunk());
    }
    return out;
  }

  /**
   * Writes a raw block of {@code series} (labels in order, each with its chunks in time order) under {@code parent},
   * with {@code externalLabels} in its Thanos section; returns its meta.
   */
  public static BlockMeta write(Path parent, Map<String, String> externalLabels, SortedMap<Labels, List<Chunk>> series)
      throws IOException {
    Ulid ulid = Ulid.generate();
    long minT = Long.MAX_VALUE;
    long maxT = Long.MIN_VALUE;
    long samples = 0;
    long chunkCount = 0;
    try (BlockCreation creation = BlockCreation.start(parent, ulid)) {
      TreeSet<String> symbols = new TreeSet<>();
      series.keySet().forEach(l -> l.forEach((n, v) -> {
        symbols.add(n);
        symbols.add(v);
      }));
      try (ChunkSegmentWriter chunks = ChunkSegmentWriter.open(creation.dir().resolve("chunks"));
          IndexWriter index = IndexWriter.create(creation.dir().resolve("index"))) {
        index.addSymbols(symbols);
        for (Map.Entry<Labels, List<Chunk>> e : series.entrySet()) {
          long[] refs = chunks.writeSeries(e.getValue());
          ChunkMetas metas = new ChunkMetas();
          for (int i = 0; i < refs.length; i++) {
            long[] bounds = bounds(e.getValue().get(i));
            metas.add(bounds[0], bounds[1], refs[i]);
            minT = Math.min(minT, bounds[0]);
            maxT = Math.max(maxT, bounds[1]);
            samples += e.getValue().get(i).numSamples();
          }
          chunkCount += refs.length;
          index.addSeries(e.getKey(), metas);
        }
      }
      BlockMeta meta = new BlockMeta(ulid, minT, maxT + 1, BlockMeta.Stats.of(samples, series.size(), chunkCount),
          BlockMeta.Compaction.level1(ulid), BlockMeta.ThanosMeta.ofBlockFiles(creation.dir(), externalLabels, 0,
          "test"));
      creation.publish(meta);
      return meta;
    }
  }

  /** First and last sample time of a chunk. */
  private static long[] bounds(Chunk chunk) {
    SampleIterator it = chunk.iterator(null);
    long first = Long.MIN_VALUE;
    long last = Long.MIN_VALUE;
    while (it.next() != ValueType.NONE) {
      if (first == Long.MIN_VALUE) {
        first = it.atT();
      }
      last = it.atT();
    }
    return new long[] {first, last};
  }

  /**
   * A counter histogram of schema 0 with positive buckets at indexes {@code 0..counts.length-1}; {@code sum} as given,
   * {@code count} the total of the buckets.
   */
  public static FloatHistogram counter(double sum, double... counts) {
    double total = 0;
    for (double c : counts) {
      total += c;
    }
    return new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0, 0, total, sum, new Span[] {new Span(0, counts.length)},
        counts.clone(), new Span[0], new double[0], new double[0]);
  }
}
