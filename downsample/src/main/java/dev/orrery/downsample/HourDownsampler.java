package dev.orrery.downsample;

import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.CorruptChunkException;
import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.histogram.CounterResetHint;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Downsamples the 5m {@code AggrChunk}s of one series to 1h (FORMATS.md 7.4): whole input chunks are grouped (so the
 * raw first and last values their counter slots carry survive), in runs of float and of histogram chunks, and each
 * group becomes one {@code AggrChunk}. For floats its count and sum are the sums of the 5m counts and sums per hour,
 * its min and max the least and greatest 5m values, and its counter runs the group's counter slots through the
 * counter-reset rule; for histograms its count is the sum of counts, and its sum and counter come from the
 * histogram aggregator over the 5m sums and counters. Stateless.
 */
public final class HourDownsampler {
  /** The 1-hour resolution, in milliseconds ({@code thanos.downsample.resolution} of the output blocks). */
  public static final long RESOLUTION_1H = 3_600_000L;

  private HourDownsampler() {}

  /**
   * The 1h {@code AggrChunk}s of a series from its 5m ones, in time order (as {@link RawDownsampler} or a Thanos
   * compactor wrote them). Returns no chunk for no input.
   *
   * @throws CorruptChunkException if an input is neither a float aggregate (five XOR sub-chunks) nor a histogram one
   */
  public static List<DownsampledChunk> downsample(List<DownsampledChunk> fiveMinute) {
    List<DownsampledChunk> out = new ArrayList<>();
    List<Chunk[]> slots = new ArrayList<>(fiveMinute.size());
    for (DownsampledChunk chunk : fiveMinute) {
      slots.add(slots(chunk));
    }
    // Float and histogram chunks are downsampled in runs of the same kind.
    for (int from = 0; from < slots.size(); ) {
      boolean histograms = isHistogramKind(slots.get(from));
      int end = from + 1;
      while (end < slots.size() && isHistogramKind(slots.get(end)) == histograms) {
        end++;
      }
      downsampleRun(fiveMinute.subList(from, end), slots.subList(from, end), histograms, out);
      from = end;
    }
    return out;
  }

  private static void downsampleRun(List<DownsampledChunk> chunks, List<Chunk[]> slots, boolean histograms,
      List<DownsampledChunk> out) {
    int samples = 0;
    for (Chunk[] s : slots) {
      samples += s[AggrChunkSlots.COUNT].numSamples();
    }
    int groups = RawDownsampler.targetChunkCount(chunks.get(0).minTime(), chunks.get(chunks.size() - 1).maxTime(),
        RawDownsampler.RESOLUTION_5M, RESOLUTION_1H, samples);
    // Thanos has no guard here and fails on a batch size of 0; one chunk a group is what it would mean.
    int batch = Math.max(1, chunks.size() / groups);
    for (int from = 0; from < slots.size(); from += batch) {
      List<Chunk[]> group = slots.subList(from, Math.min(slots.size(), from + batch));
      out.add(histograms ? aggregateHistograms(group) : aggregate(group));
    }
  }

  private static DownsampledChunk aggregate(List<Chunk[]> group) {
    XorAppender[] out = new XorAppender[AggrChunkSlots.SLOTS];
    long[] bounds = {Long.MAX_VALUE, Long.MIN_VALUE};
    out[AggrChunkSlots.COUNT] = level(group, AggrChunkSlots.COUNT, a -> a.sum, bounds);
    out[AggrChunkSlots.SUM] = level(group, AggrChunkSlots.SUM, a -> a.sum, bounds);
    out[AggrChunkSlots.MIN] = level(group, AggrChunkSlots.MIN, a -> a.min, bounds);
    out[AggrChunkSlots.MAX] = level(group, AggrChunkSlots.MAX, a -> a.max, bounds);
    out[AggrChunkSlots.COUNTER] = counter(group, bounds);
    return new DownsampledChunk(bounds[0], bounds[1], AggrChunkWriter.encode(out));
  }

  /** One aggregate at 1h: the 5m samples of slot {@code slot} of the whole group, one value per hour. */
  private static XorAppender level(List<Chunk[]> group, int slot, ToDoubleFunction<FloatAggregator> value,
      long[] bounds) {
    FloatSamples in = new FloatSamples();
    for (Chunk[] s : group) {
      s[slot].iterator(null).appendFloats(in, Long.MAX_VALUE);
    }
    return emitWindows(in, new XorAppender(), value, bounds);
  }

  /**
   * The counter at 1h: the group's counter slots through the counter-reset rule, then the first resulting sample, the
   * running total per hour, and the true last raw value at the last hour's timestamp.
   */
  private static XorAppender counter(List<Chunk[]> group, long[] bounds) {
    FloatSamples in = new FloatSamples();
    for (Chunk[] s : group) {
      s[AggrChunkSlots.COUNTER].iterator(null).appendFloats(in, Long.MAX_VALUE);
    }
    FloatSamples total = new FloatSamples();
    double lastRaw = CounterResets.apply(in, total);
    XorAppender out = new XorAppender();
    if (total.count == 0) {
      return out;
    }
    out.append(total.ts[0], total.values[0]);
    emitWindows(total, out, a -> a.counter, bounds);
    out.append(out.maxTimeMillis(), lastRaw);
    return out;
  }

  /** Runs the window loop at 1h over {@code in}, appending {@code value} of each window to {@code out}. */
  private static XorAppender emitWindows(FloatSamples in, XorAppender out, ToDoubleFunction<FloatAggregator> value,
      long[] bounds) {
    if (in.count == 0) {
      return out;
    }
    long last = WindowLoop.run(in.ts, in.count, RESOLUTION_1H, new FloatAggregator(in.values) {
      @Override
      public void emit(long t) {
        out.append(t, value.applyAsDouble(this));
      }
    });
    bounds[0] = Math.min(bounds[0], WindowLoop.firstWindow(in.ts, in.count, RESOLUTION_1H));
    bounds[1] = Math.max(bounds[1], last);
    return out;
  }

  /**
   * The histogram kind at 1h (7.4): the number of histograms per hour from the count sub-chunks, and the counter and
   * the sum histograms through {@link HistogramAggregator}, each over the group's sub-chunks of its own kind.
   */
  private static DownsampledChunk aggregateHistograms(List<Chunk[]> group) {
    long[] bounds = {Long.MAX_VALUE, Long.MIN_VALUE};
    Chunk[] out = new Chunk[AggrChunkSlots.SLOTS];
    out[AggrChunkSlots.COUNT] = level(group, AggrChunkSlots.COUNT, a -> a.sum, bounds).toChunk();
    HistogramSamples counters = histograms(group, AggrChunkSlots.COUNTER);
    boolean gauge = counters.count > 0 && counters.values[0].counterResetHint() == CounterResetHint.GAUGE;
    out[AggrChunkSlots.COUNTER] = histogramWindows(counters, true, bounds).build(gauge);
    HistogramChunkBuilder sums = histogramWindows(histograms(group, AggrChunkSlots.SUM), false, bounds);
    out[AggrChunkSlots.SUM] = sums.isEmpty() ? null : sums.build(true);
    return new DownsampledChunk(bounds[0], bounds[1], AggrChunkWriter.encode(out));
  }

  private static HistogramSamples histograms(List<Chunk[]> group, int slot) {
    HistogramSamples out = new HistogramSamples();
    for (Chunk[] s : group) {
      if (s[slot] != null) {
        out.addAll(s[slot]);
      }
    }
    return out;
  }

  /** Runs the window loop at 1h over {@code in}, collecting the counter or the sum of each window. */
  private static HistogramChunkBuilder histogramWindows(HistogramSamples in, boolean ofCounter, long[] bounds) {
    HistogramChunkBuilder out = new HistogramChunkBuilder();
    if (in.count == 0) {
      return out;
    }
    long last = WindowLoop.run(in.ts, in.count, RESOLUTION_1H, new HistogramAggregator(in.values, in.minSchema()) {
      @Override
      public void emit(long t) {
        out.add(t, ofCounter ? counter : sum);
      }
    });
    bounds[0] = Math.min(bounds[0], WindowLoop.firstWindow(in.ts, in.count, RESOLUTION_1H));
    bounds[1] = Math.max(bounds[1], last);
    return out;
  }

  /** Whether an aggregate chunk holds a histogram series: its counter slot is a histogram chunk (7.1). */
  private static boolean isHistogramKind(Chunk[] slots) {
    Chunk counter = slots[AggrChunkSlots.COUNTER];
    return counter != null && (counter.encoding() == ChunkEncoding.HISTOGRAM
        || counter.encoding() == ChunkEncoding.FLOAT_HISTOGRAM);
  }

  /**
   * The slots of an aggregate chunk, checked: a float chunk has five XOR sub-chunks; a histogram chunk an XOR count and
   * histogram sum (if any) and counter.
   */
  private static Chunk[] slots(DownsampledChunk chunk) {
    Chunk[] slots = AggrChunkSlots.chunks(ByteBuffer.wrap(chunk.data()), "aggregate chunk", -1);
    boolean histograms = isHistogramKind(slots);
    for (int k = 0; k < slots.length; k++) {
      boolean optional = histograms && k != AggrChunkSlots.COUNT && k != AggrChunkSlots.COUNTER;
      boolean ok = slots[k] == null ? optional
          : (histograms && k != AggrChunkSlots.COUNT) != (slots[k].encoding() == ChunkEncoding.XOR);
      if (!ok) {
        String problem = slots[k] == null ? " is absent" : " has encoding " + slots[k].encoding();
        throw new CorruptChunkException("aggregate chunk", -1, "not a valid " + (histograms ? "histogram" : "float")
            + " aggregate chunk", "slot " + k + problem + " in the chunk of " + chunk.minTime() + ".."
            + chunk.maxTime());
      }
    }
    return slots;
  }
}
