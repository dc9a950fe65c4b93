package dev.orrery.core.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.ChunkSegmentReader.RawChunk;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.Postings;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.NativeHistogramBlocks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BlockWriter} with native histogram samples, alone and mixed with floats in one series. */
class BlockWriterHistogramTest {
  static final long T0 = 1_700_006_400_000L;
  static final Labels SERIES = Labels.of("__name__", "job:latency_seconds:rate5m", "job", "api");

  @TempDir
  Path dir;

  @Test
  void histogramSamplesAreWrittenInFloatHistogramChunksAndReadBack() throws Exception {
    FloatHistogram[] hs = new FloatHistogram[300];
    BlockWriter w = BlockWriter.builder(dir).build();
    // Written backwards: the writer sorts. A fourth bucket from 200 on and a reset at 250 cut chunks there.
    for (int i = hs.length - 1; i >= 0; i--) {
      int since = i >= 250 ? i - 250 : i;
      hs[i] = i < 200 ? NativeHistogramBlocks.counter(i, since, since, since)
          : NativeHistogramBlocks.counter(i, since, since, since, since);
      w.append(SERIES, T0 + i * 15_000L, hs[i]);
    }
    // Floats before the histograms, as a rule that once produced floats; and a duplicate that is the same sample.
    for (int i = 1; i <= 10; i++) {
      w.append(SERIES, T0 - i * 15_000L, i);
    }
    w.append(SERIES, T0, hs[0]);
    BlockMeta meta = w.commit();
    Path blockDir = dir.resolve(meta.ulid().toString());
    assertThat(BlockVerifier.verify(blockDir).problems()).isEmpty();
    assertThat(meta.stats().numSamples()).isEqualTo(310);
    try (Block block = Block.open(blockDir)) {
      long ref = Postings.expand(block.index().allPostings())[0];
      ChunkMetas metas = new ChunkMetas();
      block.index().series(ref, metas);
      List<String> chunks = new ArrayList<>();
      for (int c = 0; c < metas.size(); c++) {
        RawChunk raw = block.chunks().rawChunk(metas.ref(c));
        chunks.add(ChunkEncoding.fromCode(raw.encoding()) + "@" + (metas.minTime(c) - T0) / 15_000);
      }
      assertThat(chunks).containsExactly("XOR@-10", "FLOAT_HISTOGRAM@0", "FLOAT_HISTOGRAM@120",
          "FLOAT_HISTOGRAM@200", "FLOAT_HISTOGRAM@250");
      SampleIterator it = block.samples(ref, metas);
      int floats = 0;
      int i = 0;
      for (ValueType type = it.next(); type != ValueType.NONE; type = it.next()) {
        if (type == ValueType.FLOAT) {
          floats++;
          continue;
        }
        assertThat(it.atT()).isEqualTo(T0 + i * 15_000L);
        assertThat(it.atFloatHistogram().positiveBuckets()).containsExactly(hs[i].positiveBuckets());
        assertThat(it.atFloatHistogram().sum()).isEqualTo(hs[i].sum());
        i++;
      }
      assertThat(floats).isEqualTo(10);
      assertThat(i).isEqualTo(300);
    }
  }

  @Test
  void aTimestampWithAFloatAndAHistogramIsRefused() {
    BlockWriter w = BlockWriter.builder(dir).build();
    w.append(SERIES, T0, 1);
    w.append(SERIES, T0, NativeHistogramBlocks.counter(1, 1));
    assertThatThrownBy(w::commit).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate sample for timestamp " + T0).hasMessageContaining("a histogram of count 1");
  }
}
