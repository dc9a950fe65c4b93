package dev.orrery.storeapi;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.Series;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Shared test fixtures: blocks with known samples, and decoding of Series responses. */
public final class StoreTesting {
  private StoreTesting() {}

  /** A float sample. */
  public record Sample(long t, double v) {}

  /**
   * Writes a block with {@code series} (labels → samples) and uploads it with external labels; returns its meta.
   */
  public static BlockMeta uploadBlock(Bucket bucket, Path tmp, Map<String, String> external,
      Map<Labels, List<Sample>> series) throws IOException {
    BlockWriter w = BlockWriter.builder(tmp).externalLabels(external).build();
    for (Map.Entry<Labels, List<Sample>> e : series.entrySet()) {
      for (Sample s : e.getValue()) {
        w.append(e.getKey(), s.t(), s.v());
      }
    }
    BlockMeta meta = w.commit();
    new BlockBucket(bucket, Clock.systemUTC()).upload(tmp.resolve(meta.ulid().toString()));
    return meta;
  }

  /** Samples every {@code step} ms in {@code [from, to)}, value = f(t). */
  public static List<Sample> samples(long from, long to, long step, double base) {
    List<Sample> out = new ArrayList<>();
    for (long t = from; t < to; t += step) {
      out.add(new Sample(t, base + t / 1000.0));
    }
    return out;
  }

  /** Decoded content of a Series response stream: labels in arrival order → samples (merged in time order). */
  public static Map<Labels, List<Sample>> decode(List<SeriesResponse> frames) {
    Map<Labels, List<Sample>> out = new LinkedHashMap<>();
    for (SeriesResponse r : frames) {
      if (r.hasSeries()) {
        add(out, r.getSeries());
      } else if (r.hasBatch()) {
        for (Series s : r.getBatch().getSeriesList()) {
          add(out, s);
        }
      }
    }
    return out;
  }

  private static void add(Map<Labels, List<Sample>> out, Series s) {
    Labels l = WireLabels.toLabels(s.getLabelsList());
    TreeMap<Long, Double> samples = new TreeMap<>();
    for (Sample x : out.getOrDefault(l, List.of())) {
      samples.put(x.t(), x.v());
    }
    for (AggrChunk c : s.getChunksList()) {
      SampleIterator it = WireChunks.toChunk(c.getRaw(), "test").iterator(null);
      while (it.next() == ValueType.FLOAT) {
        samples.put(it.atT(), it.atV());
      }
    }
    List<Sample> list = new ArrayList<>();
    samples.forEach((t, v) -> list.add(new Sample(t, v)));
    out.put(l, list);
  }

  /** The samples of {@code all} inside {@code [min, max]}. */
  public static List<Sample> clip(List<Sample> all, long min, long max) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : all) {
      if (s.t() >= min && s.t() <= max) {
        out.add(s);
      }
    }
    return out;
  }
}
