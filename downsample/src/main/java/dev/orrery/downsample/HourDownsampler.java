package dev.orrery.downsample;

import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.CorruptChunkException;
import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.XorAppender;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Downsamples the 5m {@code AggrChunk}s of one float series to 1h (FORMATS.md 7.4): whole input chunks are grouped
 * (so the raw first and last values their counter slots carry survive), and each group becomes one {@code AggrChunk}
 * whose count and sum are the sums of the 5m counts and sums per hour, whose min and max are the least and greatest
 * 5m values, and whose counter runs the group's counter slots through the counter-reset rule. Stateless.
 */
public final class HourDownsampler {
  /** The 1-hour resolution, in milliseconds ({@code thanos.downsample.resolution} of the output blocks). */
  public static final long RESOLUTION_1H = 3_600_000L;

  private HourDownsampler() {}

  /**
   * The 1h {@code AggrChunk}s of a float series from its 5m ones, in time order (as {@link RawDownsampler} or a Thanos
   * compactor wrote them). Returns no chunk for no input.
   *
   * @throws CorruptChunkException if an input is not an aggregate of float XOR sub-chunks with a count slot
   */
  public static List<DownsampledChunk> downsample(List<DownsampledChunk> fiveMinute) {
    List<DownsampledChunk> out = new ArrayList<>();
    if (fiveMinute.isEmpty()) {
      return out;
    }
    List<Chunk[]> slots = new ArrayList<>(fiveMinute.size());
    int samples = 0;
    for (DownsampledChunk chunk : fiveMinute) {
      Chunk[] s = xorSlots(chunk);
      samples += s[AggrChunkSlots.COUNT].numSamples();
      slots.add(s);
    }
    int groups = RawDownsampler.targetChunkCount(fiveMinute.get(0).minTime(),
        fiveMinute.get(fiveMinute.size() - 1).maxTime(), RawDownsampler.RESOLUTION_5M, RESOLUTION_1H, samples);
    // Thanos has no guard here and fails on a batch size of 0; one chunk a group is what it would mean.
    int batch = Math.max(1, fiveMinute.size() / groups);
    for (int from = 0; from < slots.size(); from += batch) {
      out.add(aggregate(slots.subList(from, Math.min(slots.size(), from + batch))));
    }
    return out;
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
    long last = WindowLoop.run(in.ts, in.values, in.count, RESOLUTION_1H, new FloatAggregator() {
      @Override
      public void emit(long t) {
        out.append(t, value.applyAsDouble(this));
      }
    });
    bounds[0] = Math.min(bounds[0], WindowLoop.firstWindow(in.ts, in.count, RESOLUTION_1H));
    bounds[1] = Math.max(bounds[1], last);
    return out;
  }

  /** The five slots of a float aggregate chunk as XOR chunks, each present. */
  private static Chunk[] xorSlots(DownsampledChunk chunk) {
    Chunk[] slots = AggrChunkSlots.chunks(ByteBuffer.wrap(chunk.data()), "aggregate chunk", -1);
    for (int k = 0; k < slots.length; k++) {
      if (slots[k] == null || slots[k].encoding() != ChunkEncoding.XOR) {
        String problem = slots[k] == null ? " is absent" : " has encoding " + slots[k].encoding();
        throw new CorruptChunkException("aggregate chunk", -1, "not a float aggregate chunk",
            "slot " + k + problem + " in the chunk of " + chunk.minTime() + ".." + chunk.maxTime());
      }
    }
    return slots;
  }
}
