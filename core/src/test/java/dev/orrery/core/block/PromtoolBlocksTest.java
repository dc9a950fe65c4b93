package dev.orrery.core.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.WriterCompatibility;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.Postings;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.testing.HarnessDataSet;
import dev.orrery.core.testing.OpenMetricsSamples;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Blocks made by real {@code promtool tsdb create-blocks-from openmetrics} read back by Orrery. */
@Tag("interop")
class PromtoolBlocksTest {
  static Path blocksDir;
  static Map<Labels, OpenMetricsSamples.SampleList> expected;

  @BeforeAll
  static void buildBlocks() throws Exception {
    blocksDir = HarnessDataSet.SMALL.promtoolBlocks();
    expected = OpenMetricsSamples.parse(HarnessDataSet.SMALL.openMetrics());
  }

  @Test
  void everySampleEqualsTheInput() throws Exception {
    assertThat(expected.size()).isGreaterThan(3000);
    try (BlockSet set = BlockSet.open(blocksDir);
        Querier q = set.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertThat(set.blocks()).hasSizeGreaterThanOrEqualTo(2);
      SeriesSet ss = q.select(true, null, Matcher.regex("__name__", ".+"));
      Set<Labels> seen = new HashSet<>();
      Labels previous = null;
      long samples = 0;
      SampleIterator it = null;
      while (ss.next()) {
        Series s = ss.at();
        Labels labels = s.labels();
        if (previous != null) {
          assertThat(previous.compareTo(labels)).as("label order").isNegative();
        }
        previous = labels;
        OpenMetricsSamples.SampleList want = expected.get(labels);
        assertThat(want).as("series %s in input", labels).isNotNull();
        it = s.iterator(it);
        int i = 0;
        for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next(), i++) {
          assertThat(vt).isEqualTo(ValueType.FLOAT);
          assertThat(i).as("more samples than input in %s", labels).isLessThan(want.size);
          assertThat(it.atT()).as("timestamp %d of %s", i, labels).isEqualTo(want.t[i]);
          assertThat(Double.doubleToRawLongBits(it.atV())).as("value at %d of %s", want.t[i], labels)
              .isEqualTo(Double.doubleToRawLongBits(want.v[i]));
        }
        assertThat(i).as("sample count of %s", labels).isEqualTo(want.size);
        samples += i;
        seen.add(labels);
      }
      assertThat(seen).hasSize(expected.size());
      assertThat(samples).isEqualTo(expected.values().stream().mapToLong(l -> l.size).sum());
    }
  }

  @Test
  void seekAndTimeRangesMatchTheInput() throws Exception {
    try (BlockSet set = BlockSet.open(blocksDir)) {
      long mid = set.blocks().get(0).meta().maxTimeMillis() - 600_000;
      try (Querier q = set.querier(mid, mid + 1_800_000)) {
        SeriesSet ss = q.select(true, null, Matcher.equal("__name__", "http_requests_total"),
            Matcher.equal("cluster", "prod"));
        int series = 0;
        while (ss.next()) {
          series++;
          OpenMetricsSamples.SampleList want = expected.get(ss.at().labels());
          SampleIterator it = ss.at().iterator(null);
          long probe = mid + 900_000;
          ValueType vt = it.seek(probe);
          int idx = 0;
          while (idx < want.size && want.t[idx] < probe) {
            idx++;
          }
          if (idx < want.size && want.t[idx] <= mid + 1_800_000) {
            assertThat(vt).isEqualTo(ValueType.FLOAT);
            assertThat(it.atT()).isEqualTo(want.t[idx]);
          } else {
            assertThat(vt).isEqualTo(ValueType.NONE);
          }
        }
        assertThat(series).isGreaterThan(10);
      }
    }
  }

  @Test
  void xorChunksReEncodeToIdenticalBytes() throws Exception {
    long chunks = 0;
    for (Path dir : BlockDirectory.blockDirs(blocksDir)) {
      try (Block block = Block.open(dir)) {
        Postings all = block.index().allPostings();
        LabelsBuilder b = new LabelsBuilder();
        ChunkMetas metas = new ChunkMetas();
        XorAppender appender = new XorAppender(WriterCompatibility.PROMETHEUS_2);
        SampleIterator it = null;
        while (all.next()) {
          Labels labels = block.index().series(all.at(), metas);
          for (int i = 0; i < metas.size(); i++) {
            Chunk c = block.chunks().chunk(metas.ref(i));
            assertThat(c.encoding()).isEqualTo(ChunkEncoding.XOR);
            appender.reset();
            it = c.iterator(it);
            while (it.next() != ValueType.NONE) {
              appender.append(it.atT(), it.atV());
            }
            ByteBuffer original = c.bytes();
            byte[] want = new byte[original.remaining()];
            original.duplicate().get(want);
            assertThat(appender.bytes()).as("chunk %d of %s", i, labels).isEqualTo(want);
            chunks++;
          }
        }
      }
    }
    assertThat(chunks).isGreaterThan(5000);
  }

  @Test
  void metaJsonIsReproducedByteForByte() throws Exception {
    for (Path dir : BlockDirectory.blockDirs(blocksDir)) {
      String onDisk = Files.readString(dir.resolve(BlockMeta.FILE_NAME));
      assertThat(BlockMeta.read(dir).toJson()).isEqualTo(onDisk);
    }
  }

  @Test
  void promtoolBlocksVerify() throws Exception {
    for (Path dir : BlockDirectory.blockDirs(blocksDir)) {
      BlockVerifier.Report r = BlockVerifier.verify(dir);
      assertThat(r.problems()).isEmpty();
      assertThat(r.samples()).isEqualTo(BlockMeta.read(dir).stats().numSamples());
    }
  }
}
