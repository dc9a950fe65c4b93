package dev.orrery.downsample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.OrreryException;
import dev.orrery.core.block.Block;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockVerifier;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.ChunkSegmentReader.RawChunk;
import dev.orrery.core.chunk.StaleNaN;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.Postings;
import dev.orrery.core.labels.Labels;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockDownsamplerTest {
  @TempDir
  Path dir;

  @Test
  void rawBlockTo5mTo1hKeepsTheBlockAndEverySeriesAggregates() throws Exception {
    // Eight days at 60 s of a counter and a gauge, with a staleness marker and a NaN in the gauge.
    SplittableRandom random = new SplittableRandom(21);
    int n = 11_520;
    Scrapes counter = Scrapes.of(n, 1_700_000_000_000L, 60_000, 24, random, (i, v) -> v + random.nextInt(10));
    Scrapes gauge = Scrapes.of(n, 1_700_000_000_000L, 60_000, 24, random, (i, v) -> random.nextInt(-50, 50));
    gauge.vs()[100] = Double.longBitsToDouble(StaleNaN.BITS);
    gauge.vs()[200] = Double.NaN;
    Map<Labels, Scrapes> input = new LinkedHashMap<>();
    input.put(Labels.of("__name__", "requests_total", "job", "api"), counter);
    input.put(Labels.of("__name__", "temperature", "job", "api"), gauge);
    BlockWriter writer = BlockWriter.builder(dir).externalLabels(Map.of("cluster", "eu", "environment", "prod"))
        .build();
    input.forEach((labels, s) -> {
      for (int i = 0; i < n; i++) {
        writer.append(labels, s.ts()[i], s.vs()[i]);
      }
    });
    BlockMeta raw = writer.commit();

    BlockMeta fiveMinute = BlockDownsampler.downsample(dir.resolve(raw.ulid().toString()), dir);

    assertThat(fiveMinute.thanos().downsampleResolutionMillis()).isEqualTo(RawDownsampler.RESOLUTION_5M);
    assertSameBlock(fiveMinute, raw);
    Map<Labels, List<DownsampledChunk>> fiveChunks = read(fiveMinute);
    assertThat(fiveChunks.keySet()).containsExactlyElementsOf(input.keySet());
    input.forEach((labels, s) -> {
      List<DownsampledChunk> expected = RawDownsampler.downsample(s.ts(), s.vs(), n);
      assertThat(hex(fiveChunks.get(labels))).as("%s", labels).isEqualTo(hex(expected));
    });

    BlockMeta hour = BlockDownsampler.downsample(dir.resolve(fiveMinute.ulid().toString()), dir);

    assertThat(hour.thanos().downsampleResolutionMillis()).isEqualTo(HourDownsampler.RESOLUTION_1H);
    assertSameBlock(hour, raw);
    Map<Labels, List<DownsampledChunk>> hourChunks = read(hour);
    fiveChunks.forEach((labels, chunks) -> assertThat(hex(hourChunks.get(labels))).as("%s", labels)
        .isEqualTo(hex(HourDownsampler.downsample(chunks))));
    assertThat(hour.stats().numSeries()).isEqualTo(2);

    assertThatThrownBy(() -> BlockDownsampler.downsample(dir.resolve(hour.ulid().toString()), dir))
        .isInstanceOf(OrreryException.class).hasMessageContaining("1h is the last level");
  }

  private void assertSameBlock(BlockMeta out, BlockMeta source) {
    assertThat(out.ulid()).isNotEqualTo(source.ulid());
    assertThat(out.minTimeMillis()).isEqualTo(source.minTimeMillis());
    assertThat(out.maxTimeMillis()).isEqualTo(source.maxTimeMillis());
    assertThat(out.compaction()).isEqualTo(source.compaction());
    assertThat(out.thanos().labels()).isEqualTo(source.thanos().labels());
    assertThat(out.thanos().source()).isEqualTo("compactor");
    assertThat(out.thanos().segmentFiles()).isNotEmpty();
    BlockVerifier.Report report = BlockVerifier.verify(dir.resolve(out.ulid().toString()));
    assertThat(report.problems()).isEmpty();
    assertThat(report.samples()).isEqualTo(out.stats().numSamples()).isPositive();
  }

  /** Every series of a written block with its aggregate chunks, checked to be records of encoding 255. */
  private Map<Labels, List<DownsampledChunk>> read(BlockMeta meta) throws Exception {
    Map<Labels, List<DownsampledChunk>> out = new LinkedHashMap<>();
    try (Block block = Block.open(dir.resolve(meta.ulid().toString()))) {
      assertThat(BlockMeta.read(block.dir())).isEqualTo(meta);
      ChunkMetas metas = new ChunkMetas();
      for (long ref : Postings.expand(block.index().allPostings())) {
        Labels labels = block.index().series(ref, metas.clear());
        List<DownsampledChunk> chunks = new ArrayList<>();
        for (int c = 0; c < metas.size(); c++) {
          RawChunk raw = block.chunks().rawChunk(metas.ref(c));
          assertThat(raw.encoding()).isEqualTo(ChunkEncoding.AGGR.code());
          ByteBuffer data = raw.data();
          byte[] bytes = new byte[data.remaining()];
          data.get(bytes);
          chunks.add(new DownsampledChunk(metas.minTime(c), metas.maxTime(c), bytes));
        }
        out.put(labels, chunks);
      }
    }
    return out;
  }

  private static List<String> hex(List<DownsampledChunk> chunks) {
    List<String> out = new ArrayList<>();
    for (DownsampledChunk c : chunks) {
      out.add(c.minTime() + ".." + c.maxTime() + " " + HexFormat.of().formatHex(c.data()));
    }
    return out;
  }
}
