package dev.orrery.downsample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.Block;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockVerifier;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.ChunkSegmentReader.RawChunk;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.histogram.Buckets;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.Postings;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.NativeHistogramBlocks;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native histogram series downsampled to 5m and 1h (FORMATS.md 7.3 step 4, 7.4), checked against the raw samples. */
class HistogramDownsampleTest {
  static final long T0 = 1_700_006_400_000L; // a 2h boundary
  static final long STEP = 15_000;
  static final int N = 5760; // 24 hours: three 5m chunks
  static final int NEW_BUCKET_AT = 1000;
  static final int RESET_AT = 2500; // inside the second of three chunks

  @TempDir
  Path dir;

  /** Bucket j of the counter histogram at scrape i: grows every scrape; a fourth bucket from NEW_BUCKET_AT; reset. */
  static double bucket(int i, int j) {
    if (j == 3 && i < NEW_BUCKET_AT) {
      return 0;
    }
    int since = i >= RESET_AT ? i - RESET_AT : i;
    return (since + 1) * (j + 1);
  }

  static FloatHistogram counterAt(int i) {
    int buckets = i < NEW_BUCKET_AT ? 3 : 4;
    double[] b = new double[buckets];
    for (int j = 0; j < buckets; j++) {
      b[j] = bucket(i, j);
    }
    return NativeHistogramBlocks.counter(i * 0.5 + 1, b);
  }

  static long[] times() {
    long[] ts = new long[N];
    for (int i = 0; i < N; i++) {
      ts[i] = T0 + i * STEP;
    }
    return ts;
  }

  static FloatHistogram[] counters() {
    FloatHistogram[] hs = new FloatHistogram[N];
    for (int i = 0; i < N; i++) {
      hs[i] = counterAt(i);
    }
    return hs;
  }

  @Test
  void fiveMinuteChunksHoldCountSumAndOneResetAdjustedCounterAcrossChunks() {
    long[] ts = times();
    List<DownsampledChunk> chunks = RawDownsampler.downsampleHistograms(ts, counters(), N);
    assertThat(chunks).hasSizeGreaterThan(1);
    int windows = 0;
    int firstOfBatch = 0;
    for (DownsampledChunk chunk : chunks) {
      Chunk[] slots = AggrChunkSlots.chunks(ByteBuffer.wrap(chunk.data()), "test", -1);
      assertThat(slots[AggrChunkSlots.MIN]).isNull();
      assertThat(slots[AggrChunkSlots.MAX]).isNull();
      assertThat(slots[AggrChunkSlots.SUM].encoding()).isEqualTo(ChunkEncoding.FLOAT_HISTOGRAM);
      assertThat(slots[AggrChunkSlots.COUNTER].encoding()).isEqualTo(ChunkEncoding.FLOAT_HISTOGRAM);
      SampleIterator count = slots[AggrChunkSlots.COUNT].iterator(null);
      SampleIterator sum = slots[AggrChunkSlots.SUM].iterator(null);
      SampleIterator counter = slots[AggrChunkSlots.COUNTER].iterator(null);
      int lastIndex = firstOfBatch - 1;
      while (count.next() == ValueType.FLOAT) {
        assertThat(sum.next()).isEqualTo(ValueType.FLOAT_HISTOGRAM);
        assertThat(counter.next()).isEqualTo(ValueType.FLOAT_HISTOGRAM);
        long t = count.atT();
        assertThat(sum.atT()).isEqualTo(t);
        assertThat(counter.atT()).isEqualTo(t);
        int first = lastIndex + 1;
        int last = (int) ((t - T0) / STEP);
        assertThat(count.atV()).as("histograms in the window ending %d", t).isEqualTo(last - first + 1);
        FloatHistogram s = sum.atFloatHistogram();
        FloatHistogram c = counter.atFloatHistogram();
        assertThat(s.counterResetHint()).isEqualTo(CounterResetHint.GAUGE);
        for (int j = 0; j < 4; j++) {
          double expectedSum = 0;
          for (int i = first; i <= last; i++) {
            expectedSum += bucket(i, j);
          }
          assertThat(countAt(s, j)).as("sum bucket %d at %d", j, t).isEqualTo(expectedSum);
          // One counter over the whole series: after the reset, the value before it stays added, in every chunk.
          double expectedCounter = bucket(last, j) + (last >= RESET_AT ? bucket(RESET_AT - 1, j) : 0);
          assertThat(countAt(c, j)).as("counter bucket %d at %d", j, t).isEqualTo(expectedCounter);
        }
        lastIndex = last;
        windows++;
      }
      assertThat(chunk.maxTime()).isEqualTo(ts[lastIndex]);
      firstOfBatch = lastIndex + 1;
    }
    assertThat(firstOfBatch).as("every sample in some window").isEqualTo(N);
    assertThat(windows).isEqualTo(N / 20);
  }

  @Test
  void gaugeHistogramsGetGaugeSubChunks() {
    long[] ts = times();
    FloatHistogram[] hs = new FloatHistogram[N];
    for (int i = 0; i < N; i++) {
      // Goes up and down: a gauge.
      hs[i] = HistogramArithmetic.withHint(NativeHistogramBlocks.counter(i % 7, i % 5, 3 - i % 3),
          CounterResetHint.GAUGE);
    }
    for (DownsampledChunk chunk : RawDownsampler.downsampleHistograms(ts, hs, N)) {
      Chunk[] slots = AggrChunkSlots.chunks(ByteBuffer.wrap(chunk.data()), "test", -1);
      SampleIterator counter = slots[AggrChunkSlots.COUNTER].iterator(null);
      while (counter.next() == ValueType.FLOAT_HISTOGRAM) {
        assertThat(counter.atFloatHistogram().counterResetHint()).isEqualTo(CounterResetHint.GAUGE);
      }
    }
  }

  @Test
  void hourChunksSumCountsAndSumsAndKeepTheCounter() {
    long[] ts = times();
    // Without the reset: the 1h counter at every hour is the raw counter there.
    FloatHistogram[] hs = new FloatHistogram[RESET_AT];
    System.arraycopy(counters(), 0, hs, 0, RESET_AT);
    List<DownsampledChunk> hour = HourDownsampler.downsample(RawDownsampler.downsampleHistograms(ts, hs, RESET_AT));
    int hours = 0;
    int lastIndex = -1;
    for (DownsampledChunk chunk : hour) {
      Chunk[] slots = AggrChunkSlots.chunks(ByteBuffer.wrap(chunk.data()), "test", -1);
      SampleIterator count = slots[AggrChunkSlots.COUNT].iterator(null);
      SampleIterator sum = slots[AggrChunkSlots.SUM].iterator(null);
      SampleIterator counter = slots[AggrChunkSlots.COUNTER].iterator(null);
      while (count.next() == ValueType.FLOAT) {
        sum.next();
        counter.next();
        int last = (int) ((count.atT() - T0) / STEP);
        assertThat(count.atV()).isEqualTo(last - lastIndex);
        for (int j = 0; j < 4; j++) {
          double expectedSum = 0;
          for (int i = lastIndex + 1; i <= last; i++) {
            expectedSum += bucket(i, j);
          }
          assertThat(countAt(sum.atFloatHistogram(), j)).as("sum bucket %d", j).isEqualTo(expectedSum);
          assertThat(countAt(counter.atFloatHistogram(), j)).as("counter bucket %d", j).isEqualTo(bucket(last, j));
        }
        lastIndex = last;
        hours++;
      }
    }
    assertThat(lastIndex).isEqualTo(RESET_AT - 1);
    assertThat(hours).isEqualTo((int) Math.ceil(RESET_AT / 240.0));
  }

  @Test
  void blocksWithHistogramAndFloatSeriesDownsampleToVerifiedBlocks() throws Exception {
    long[] ts = times();
    FloatHistogram[] hs = counters();
    TreeMap<Labels, List<Chunk>> series = new TreeMap<>();
    series.put(Labels.of("__name__", "http_request_duration_seconds", "job", "api"),
        NativeHistogramBlocks.chunks(ts, hs, N));
    // A series that changes from float to histogram chunks half way, as a migrated metric does.
    List<Chunk> mixed = new ArrayList<>();
    XorAppender floats = new XorAppender();
    for (int i = 0; i < 120; i++) {
      floats.append(ts[i], i);
    }
    mixed.add(floats.toChunk());
    FloatHistogram[] later = new FloatHistogram[N - 120];
    long[] laterTs = new long[N - 120];
    System.arraycopy(hs, 120, later, 0, later.length);
    System.arraycopy(ts, 120, laterTs, 0, later.length);
    mixed.addAll(NativeHistogramBlocks.chunks(laterTs, later, later.length));
    series.put(Labels.of("__name__", "migrated", "job", "api"), mixed);
    BlockMeta raw = NativeHistogramBlocks.write(dir, Map.of("cluster", "eu"), series);

    BlockMeta fiveMinute = BlockDownsampler.downsample(dir.resolve(raw.ulid().toString()), dir);
    Path fiveDir = dir.resolve(fiveMinute.ulid().toString());
    assertThat(BlockVerifier.verify(fiveDir).problems()).isEmpty();
    assertThat(fiveMinute.stats().numSeries()).isEqualTo(2);
    List<DownsampledChunk> expected = RawDownsampler.downsampleHistograms(ts, hs, N);
    try (Block block = Block.open(fiveDir)) {
      List<List<byte[]>> perSeries = aggregateChunks(block);
      assertThat(perSeries.get(0)).as("histogram series").containsExactlyElementsOf(
          expected.stream().map(DownsampledChunk::data).toList());
      // The migrated series: one float aggregate chunk, then histogram ones.
      assertThat(perSeries.get(1)).hasSizeGreaterThan(1);
      assertThat(kindOfCounter(perSeries.get(1).get(0))).isEqualTo(ChunkEncoding.XOR);
      assertThat(kindOfCounter(perSeries.get(1).get(1))).isEqualTo(ChunkEncoding.FLOAT_HISTOGRAM);
    }
    BlockMeta hourly = BlockDownsampler.downsample(fiveDir, dir);
    assertThat(BlockVerifier.verify(dir.resolve(hourly.ulid().toString())).problems()).isEmpty();
    assertThat(hourly.stats().numSeries()).isEqualTo(2);
  }

  @Test
  void floatBlocksAreUnchangedByTheHistogramPath() throws Exception {
    BlockWriter w = BlockWriter.builder(dir).build();
    for (int i = 0; i < N; i++) {
      w.append(Labels.of("__name__", "up"), T0 + i * STEP, 1);
    }
    BlockMeta raw = w.commit();
    w.close();
    BlockMeta five = BlockDownsampler.downsample(dir.resolve(raw.ulid().toString()), dir);
    assertThat(BlockVerifier.verify(dir.resolve(five.ulid().toString())).problems()).isEmpty();
  }

  private static ChunkEncoding kindOfCounter(byte[] aggr) {
    return AggrChunkSlots.chunks(ByteBuffer.wrap(aggr), "test", -1)[AggrChunkSlots.COUNTER].encoding();
  }

  private static List<List<byte[]>> aggregateChunks(Block block) {
    List<List<byte[]>> out = new ArrayList<>();
    ChunkMetas metas = new ChunkMetas();
    for (long ref : Postings.expand(block.index().allPostings())) {
      block.index().series(ref, metas.clear());
      List<byte[]> chunks = new ArrayList<>();
      for (int c = 0; c < metas.size(); c++) {
        RawChunk raw = block.chunks().rawChunk(metas.ref(c));
        ByteBuffer data = raw.data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        chunks.add(bytes);
      }
      out.add(chunks);
    }
    return out;
  }

  private static double countAt(FloatHistogram h, int index) {
    return Buckets.of(h.positiveSpans(), h.positiveBuckets()).countAt(index);
  }
}
