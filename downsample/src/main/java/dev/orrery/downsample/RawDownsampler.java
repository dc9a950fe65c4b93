package dev.orrery.downsample;

import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.StaleNaN;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import java.util.ArrayList;
import java.util.List;

/**
 * Downsamples one raw float series to Thanos' 5-minute resolution (FORMATS.md 7.2, 7.3 steps 2 and 3): the samples are
 * cut into batches that never split a window, each batch becomes one {@code AggrChunk} whose count, sum, min and max
 * sub-chunks hold one sample per window, and whose counter sub-chunk holds the batch's first raw sample, the
 * reset-adjusted running total at every window, and the batch's last raw value again at the last window's timestamp,
 * so that rates across chunks stay exact. Stateless.
 */
public final class RawDownsampler {
  /** The 5-minute resolution, in milliseconds ({@code thanos.downsample.resolution} of the output blocks). */
  public static final long RESOLUTION_5M = 300_000L;
  /** The input resolution Thanos assumes for raw data when it sizes chunks. */
  private static final long RAW_RESOLUTION = 60_000L;
  /** Most windows Thanos aims for in one downsampled chunk. */
  private static final int MAX_WINDOWS_PER_CHUNK = 140;

  private RawDownsampler() {}

  /**
   * The 5m {@code AggrChunk}s of a float series: {@code ts[0..count-1]} and {@code vs[0..count-1]} in time order.
   * Staleness markers are dropped before the samples are cut into chunks (as Thanos does when it reads the raw chunks),
   * other NaN values after, so they count towards a chunk's size but not towards any aggregate. Returns no chunk when
   * no sample remains.
   *
   * @throws IllegalArgumentException if {@code count} exceeds either array
   */
  public static List<DownsampledChunk> downsample(long[] ts, double[] vs, int count) {
    if (count < 0 || count > ts.length || count > vs.length) {
      throw new IllegalArgumentException(count + " samples in arrays of " + ts.length + " and " + vs.length);
    }
    List<DownsampledChunk> out = new ArrayList<>();
    long[] kt = new long[count];
    double[] kv = new double[count];
    int kept = 0;
    for (int i = 0; i < count; i++) {
      if (!StaleNaN.is(vs[i])) {
        kt[kept] = ts[i];
        kv[kept++] = vs[i];
      }
    }
    if (kept == 0) {
      return out;
    }
    return batches(kt, kv, kept, out);
  }

  private static List<DownsampledChunk> batches(long[] ts, double[] vs, int count, List<DownsampledChunk> out) {
    long[] bt = new long[count];
    double[] bv = new double[count];
    forEachBatch(ts, count, (from, end) -> {
      int n = 0;
      for (int i = from; i < end; i++) {
        if (!Double.isNaN(vs[i])) {
          bt[n] = ts[i];
          bv[n++] = vs[i];
        }
      }
      if (n > 0) {
        out.add(aggregate(bt, bv, n, RESOLUTION_5M));
      }
    });
    return out;
  }

  /** Receives one batch: samples {@code [from, end)}. */
  private interface BatchSink {
    void batch(int from, int end);
  }

  /**
   * Cuts the {@code count > 0} samples at {@code ts} into Thanos' batches (7.3 step 2): about a target number of samples
   * each, extended so that a window is never split across two chunks.
   */
  private static void forEachBatch(long[] ts, int count, BatchSink sink) {
    long resolution = RESOLUTION_5M;
    int batchSize = count / targetChunkCount(ts[0], ts[count - 1], RAW_RESOLUTION, resolution, count) + 1;
    for (int from = 0; from < count; ) {
      int end = from + Math.min(batchSize, count - from);
      while (end < count && ts[end] <= WindowLoop.windowEnd(ts[end - 1], resolution)) {
        end++;
      }
      sink.batch(from, end);
      from = end;
    }
  }

  /**
   * The 5m {@code AggrChunk}s of a native histogram series (7.3 step 4): {@code ts[0..count-1]} and {@code
   * hs[0..count-1]} in time order, integer histograms converted to float. Each chunk has a count sub-chunk (XOR), and
   * sum and counter sub-chunks of float histograms: per window the number of histograms, their sum, and the running
   * counter of {@link HistogramAggregator}; no min, max or raw values. The counter runs over the whole series, not
   * chunk by chunk as Thanos' does: Thanos' counter sub-chunks of histograms carry no raw first and last values, so a
   * counter that restarted with every chunk would make a reset inside one chunk look like another reset at the next
   * chunk, and {@code rate} at 5m would count that chunk's whole value again. Read by Orrery or Thanos, these
   * counters show only the resets the raw data has. Staleness markers are dropped before the
   * samples are cut into chunks, histograms with a NaN sum after. A series whose first histogram is a gauge gets gauge
   * sum and counter sub-chunks.
   *
   * @throws IllegalArgumentException if {@code count} exceeds either array
   */
  public static List<DownsampledChunk> downsampleHistograms(long[] ts, FloatHistogram[] hs, int count) {
    if (count < 0 || count > ts.length || count > hs.length) {
      throw new IllegalArgumentException(count + " samples in arrays of " + ts.length + " and " + hs.length);
    }
    HistogramSamples kept = new HistogramSamples();
    for (int i = 0; i < count; i++) {
      if (!StaleNaN.is(hs[i].sum())) {
        kept.add(ts[i], hs[i]);
      }
    }
    List<DownsampledChunk> out = new ArrayList<>();
    if (kept.count == 0) {
      return out;
    }
    // One counter over the whole series: each chunk's counter goes on from the previous chunk's (see the aggregator).
    HistogramAggregator aggregator = new HistogramAggregator(kept.values, kept.minSchema());
    forEachBatch(kept.ts, kept.count, (from, end) -> {
      HistogramSamples batch = new HistogramSamples();
      for (int i = from; i < end; i++) {
        if (!Double.isNaN(kept.values[i].sum())) {
          batch.add(kept.ts[i], kept.values[i]);
        }
      }
      if (batch.count > 0) {
        out.add(aggregateHistograms(batch, aggregator));
      }
    });
    return out;
  }

  /** One batch of histograms without NaN sums as an {@code AggrChunk}, aggregated by the series' aggregator. */
  private static DownsampledChunk aggregateHistograms(HistogramSamples batch, HistogramAggregator aggregator) {
    boolean gauge = batch.values[0].counterResetHint() == CounterResetHint.GAUGE;
    XorAppender countSlot = new XorAppender();
    HistogramChunkBuilder sumSlot = new HistogramChunkBuilder();
    HistogramChunkBuilder counterSlot = new HistogramChunkBuilder();
    aggregator.use(batch.values);
    long lastWindow = WindowLoop.run(batch.ts, batch.count, RESOLUTION_5M, new WindowLoop.Aggregator() {
      @Override
      public void resetWindow() {
        aggregator.resetWindow();
      }

      @Override
      public void add(int i) {
        aggregator.add(i);
      }

      @Override
      public void emit(long t) {
        countSlot.append(t, aggregator.count);
        sumSlot.add(t, aggregator.sum);
        counterSlot.add(t, aggregator.counter);
      }
    });
    Chunk[] slots = new Chunk[AggrChunkSlots.SLOTS];
    slots[AggrChunkSlots.COUNT] = countSlot.toChunk();
    slots[AggrChunkSlots.SUM] = sumSlot.build(true);
    slots[AggrChunkSlots.COUNTER] = counterSlot.build(gauge);
    return new DownsampledChunk(WindowLoop.firstWindow(batch.ts, batch.count, RESOLUTION_5M), lastWindow,
        AggrChunkWriter.encode(slots));
  }

  /**
   * How many chunks Thanos cuts a series of {@code count} samples over {@code [mint, maxt]} into: enough that each
   * holds at most about {@value #MAX_WINDOWS_PER_CHUNK} windows of the expected output.
   */
  static int targetChunkCount(long mint, long maxt, long inResolution, long outResolution, int count) {
    double maxWindows = (double) ((maxt - mint) / outResolution);
    // count / 0.0 is +Infinity, so a single timestamp counts as full.
    double fullness = Math.min(1, count / ((double) (maxt - mint) / inResolution));
    int expected = (int) (maxWindows * fullness) + 1;
    int chunks = 1;
    while (expected / chunks > MAX_WINDOWS_PER_CHUNK) {
      chunks++;
    }
    return chunks;
  }

  /** One batch ({@code n > 0} samples without NaN) as an {@code AggrChunk}. */
  private static DownsampledChunk aggregate(long[] ts, double[] vs, int n, long resolution) {
    XorAppender[] slots = new XorAppender[AggrChunkSlots.SLOTS];
    for (int k = 0; k < slots.length; k++) {
      slots[k] = new XorAppender();
    }
    XorAppender counterSlot = slots[AggrChunkSlots.COUNTER];
    counterSlot.append(ts[0], vs[0]);
    long lastWindow = WindowLoop.run(ts, n, resolution, new FloatAggregator(vs) {
      @Override
      public void emit(long t) {
        slots[AggrChunkSlots.COUNT].append(t, count);
        slots[AggrChunkSlots.SUM].append(t, sum);
        slots[AggrChunkSlots.MIN].append(t, min);
        slots[AggrChunkSlots.MAX].append(t, max);
        counterSlot.append(t, counter);
      }
    });
    // The true last raw value, at the last window's timestamp: the counter-reset iterator takes it as the last value.
    counterSlot.append(ts[n - 1], vs[n - 1]);
    return new DownsampledChunk(WindowLoop.firstWindow(ts, n, resolution), lastWindow, AggrChunkWriter.encode(slots));
  }
}
