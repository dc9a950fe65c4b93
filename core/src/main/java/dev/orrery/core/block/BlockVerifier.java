package dev.orrery.core.block;

import dev.orrery.core.OrreryException;
import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.ChunkSegmentReader.RawChunk;
import dev.orrery.core.chunk.CorruptChunkException;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.XorChunkLanes;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.Postings;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a block end to end: meta.json, every CRC of the index and of the chunk segment files, the index structure
 * (symbols, series order, postings), and every chunk of every series (decodes, sample count, timestamps increasing and
 * inside both the chunk's meta and the block's range), then compares the totals with meta.json's stats. In a
 * downsampled block every sub-chunk of an aggregate chunk must decode, and its count sub-chunk, one sample per window,
 * is the one checked and counted. XOR chunks are decoded many at a time ({@link XorChunkLanes}).
 */
public final class BlockVerifier {
  private static final int MAX_PROBLEMS = 100;

  private BlockVerifier() {}

  /**
   * The outcome of a verification.
   *
   * @param problems what is wrong, each naming file and offset or series; empty when the block is sound
   */
  public record Report(List<String> problems, long series, long chunks, long samples) {
    /** True when no problem was found. */
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** Verifies the block in {@code dir}. Never throws for bad data: every problem lands in the report. */
  public static Report verify(Path dir) {
    List<String> problems = new ArrayList<>();
    long series = 0;
    long chunks = 0;
    long samples = 0;
    try (Block block = Block.open(dir)) {
      BlockMeta meta = block.meta();
      if (!meta.ulid().toString().equals(dir.getFileName().toString())) {
        problems.add("meta.json: ulid " + meta.ulid() + " differs from the directory name");
      }
      try {
        block.index().verify();
      } catch (IOException | OrreryException e) {
        problems.add(e.getMessage());
      }
      problems.addAll(block.chunks().verify());
      LabelsBuilder builder = new LabelsBuilder();
      ChunkMetas metas = new ChunkMetas();
      ChunkChecks checks = new ChunkChecks(problems);
      Labels previous = null;
      Postings all = block.index().allPostings();
      while (all.next() && problems.size() < MAX_PROBLEMS) {
        long ref = all.at();
        Labels labels;
        try {
          block.index().series(ref, builder, metas);
          labels = builder.build();
        } catch (OrreryException e) {
          problems.add(e.getMessage());
          continue;
        }
        series++;
        if (previous != null && previous.compareTo(labels) >= 0) {
          problems.add("index: series " + labels + " (ref " + ref + ") is not after " + previous);
        }
        previous = labels;
        for (int i = 0; i < metas.size(); i++) {
          chunks++;
          long cmin = metas.minTime(i);
          long cmax = metas.maxTime(i);
          String where = "series " + labels + " chunk " + i + " (ref " + metas.ref(i) + ")";
          if (cmin < meta.minTimeMillis() || cmax >= meta.maxTimeMillis()) {
            problems.add(where + ": time range [" + cmin + ", " + cmax + "] outside the block's ["
                + meta.minTimeMillis() + ", " + meta.maxTimeMillis() + ")");
          }
          try {
            RawChunk raw = block.chunks().rawChunk(metas.ref(i));
            Chunk c = raw.encoding() == ChunkEncoding.AGGR.code()
                ? aggregateCount(raw)
                : Chunk.of(raw.encoding(), raw.data(), raw.resource(), raw.dataOffset());
            checks.add(where, cmin, cmax, c);
          } catch (OrreryException e) {
            problems.add(where + ": " + e.getMessage());
          }
        }
      }
      checks.flush();
      samples = checks.samples;
      if (problems.isEmpty()) {
        BlockMeta.Stats st = meta.stats();
        check(problems, "numSeries", st.numSeries(), series);
        check(problems, "numChunks", st.numChunks(), chunks);
        check(problems, "numSamples", st.numSamples(), samples);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      problems.add("missing file " + e.getFile());
    } catch (IOException | OrreryException e) {
      problems.add(e.getMessage());
    }
    return new Report(List.copyOf(problems), series, chunks, samples);
  }

  private static void check(List<String> problems, String field, long stated, long counted) {
    if (stated != counted) {
      problems.add("meta.json: stats." + field + " is " + stated + " but the block holds " + counted);
    }
  }

  /** An aggregate chunk's count sub-chunk, after decoding every present sub-chunk (FORMATS.md 7.1). */
  private static Chunk aggregateCount(RawChunk raw) {
    Chunk[] slots = AggrChunkSlots.chunks(raw.data().slice(), raw.resource(), raw.dataOffset());
    SampleIterator it = null;
    for (Chunk slot : slots) {
      if (slot == null) {
        continue;
      }
      it = slot.iterator(it);
      while (it.next() != ValueType.NONE) {
        // Decoding is the check: corruption throws.
      }
    }
    if (slots[AggrChunkSlots.COUNT] == null) {
      throw new CorruptChunkException(raw.resource(), raw.dataOffset(), "aggregate chunk without a count sub-chunk",
          "");
    }
    return slots[AggrChunkSlots.COUNT];
  }

  /**
   * Checks chunks' samples against their metas: XOR chunks {@value XorChunkLanes#LANES} at a time through
   * {@link XorChunkLanes}, others one by one, in the order they come.
   */
  private static final class ChunkChecks {
    private final List<String> problems;
    private final XorChunkLanes lanes = new XorChunkLanes();
    private final List<Chunk> pending = new ArrayList<>();
    private final String[] where = new String[XorChunkLanes.LANES];
    private final long[] minTime = new long[XorChunkLanes.LANES];
    private final long[] maxTime = new long[XorChunkLanes.LANES];
    private SampleIterator it;
    long samples;

    ChunkChecks(List<String> problems) {
      this.problems = problems;
    }

    void add(String where, long minTime, long maxTime, Chunk chunk) {
      if (chunk.encoding() != ChunkEncoding.XOR) {
        flush();
        it = chunk.iterator(it);
        check(where, minTime, maxTime, chunk.numSamples(), it);
        return;
      }
      int at = pending.size();
      this.where[at] = where;
      this.minTime[at] = minTime;
      this.maxTime[at] = maxTime;
      pending.add(chunk);
      if (pending.size() == XorChunkLanes.LANES) {
        flush();
      }
    }

    void flush() {
      if (pending.isEmpty()) {
        return;
      }
      lanes.decode(pending);
      for (int lane = 0; lane < pending.size(); lane++) {
        check(where[lane], minTime[lane], maxTime[lane], pending.get(lane).numSamples(), lanes.iterator(lane));
      }
      pending.clear();
    }

    /** Decodes the chunk's samples: their count, order and span. */
    private void check(String where, long cmin, long cmax, int numSamples, SampleIterator samples) {
      try {
        int n = 0;
        long last = Long.MIN_VALUE;
        long first = Long.MIN_VALUE;
        for (ValueType vt = samples.next(); vt != ValueType.NONE; vt = samples.next()) {
          long t = samples.atT();
          if (n == 0) {
            first = t;
          } else if (t <= last) {
            problems.add(where + ": timestamp " + t + " not after " + last);
            break;
          }
          last = t;
          n++;
        }
        if (n != numSamples) {
          problems.add(where + ": decoded " + n + " samples, header says " + numSamples);
        }
        if (n > 0 && (first != cmin || last != cmax)) {
          problems.add(where + ": samples span [" + first + ", " + last + "], index says [" + cmin + ", "
              + cmax + "]");
        }
        this.samples += n;
      } catch (OrreryException e) {
        problems.add(where + ": " + e.getMessage());
      }
    }
  }
}
