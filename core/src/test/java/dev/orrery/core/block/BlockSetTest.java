package dev.orrery.core.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.testing.BulkReads;
import dev.orrery.core.testing.Properties;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockSetTest {
  @TempDir
  Path dir;

  void write(Map<String, String> external, long from, int n, double base) throws IOException {
    PartitionedBlockWriter w = PartitionedBlockWriter.builder(dir).externalLabels(external).source("test").build();
    for (int i = 0; i < n; i++) {
      w.append(Labels.of("__name__", "up", "job", "api"), from + i * 15_000L, base + i);
      w.append(Labels.of("__name__", "up", "job", "db", "zone", "z1"), from + i * 15_000L, base);
    }
    w.commit();
  }

  static List<String> select(Querier q, Matcher... m) {
    List<String> out = new ArrayList<>();
    SeriesSet s = q.select(true, null, m);
    while (s.next()) {
      out.add(s.at().labels().toString());
    }
    return out;
  }

  @Test
  void chainsTheSameSeriesAcrossAdjacentBlocks() throws IOException {
    long start = 1704067200000L; // a 2h boundary; 3h of data makes two blocks
    write(Map.of("cluster", "a"), start, 720, 0);
    try (BlockSet set = BlockSet.open(dir);
        Querier q = set.querier(start, start + 4 * 3_600_000L)) {
      assertThat(set.blocks()).hasSize(2);
      SeriesSet s = q.select(true, null, Matcher.equal("job", "api"));
      assertThat(s.next()).isTrue();
      SampleIterator it = s.at().iterator(null);
      int n = 0;
      for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
        assertThat(it.atT()).isEqualTo(start + n * 15_000L);
        assertThat(it.atV()).isEqualTo(n);
        n++;
      }
      assertThat(n).isEqualTo(720);
      assertThat(s.next()).isFalse();
      // A narrower range through hints crosses the block boundary too.
      SeriesSet narrow = q.select(true, SelectHints.ofRange(start + 7_100_000L, start + 7_400_000L),
          Matcher.equal("job", "api"));
      assertThat(narrow.next()).isTrue();
      it = narrow.at().iterator(null);
      assertThat(it.seek(start + 7_200_000L)).isEqualTo(ValueType.FLOAT);
      assertThat(it.atT()).isEqualTo(start + 7_200_000L);
      int m = 1;
      while (it.next() != ValueType.NONE) {
        m++;
      }
      assertThat(m).isEqualTo(14); // 7,200,000 .. 7,395,000 inclusive
    }
  }

  @Test
  void leavesDownsampledBlocksOut() throws IOException {
    long start = 1704067200000L;
    write(Map.of("cluster", "a"), start, 720, 0);
    // Mark the second block as a 5m block, as a compactor's output would be.
    Path second = BlockDirectory.blockDirs(dir).get(1);
    BlockMeta meta = BlockMeta.read(second);
    meta.withThanos(BlockMeta.ThanosMeta.of(meta.thanos().labels(), 300_000, "compactor")).write(second);

    try (BlockSet set = BlockSet.open(dir)) {
      assertThat(set.blocks()).hasSize(1);
      assertThat(set.blocks().get(0).dir()).isEqualTo(BlockDirectory.blockDirs(dir).get(0));
    }
  }

  @Test
  void bulkReadsAcrossChunksAndBlocksAgreeWithNext() throws IOException {
    long start = 1704067200000L;
    write(Map.of("cluster", "a"), start, 720, 0);
    try (BlockSet set = BlockSet.open(dir)) {
      Properties.check("blockBulk", 60, r -> {
        long mint = start + r.nextInt(0, 6_000_000);
        long maxt = mint + r.nextInt(0, 8_000_000);
        try (Querier q = set.querier(mint, maxt)) {
          SeriesSet s = q.select(true, SelectHints.ofRange(mint, maxt), Matcher.equal("job", "api"));
          assertThat(s.next()).isTrue();
          var series = s.at();
          BulkReads.assertBulkAgreesWithNext(() -> series.iterator(null), r);
        }
      });
    }
  }

  @Test
  void externalLabelsBecomeSeriesLabels() throws IOException {
    long start = 1704067200000L;
    write(Map.of("cluster", "b", "zone", "external-wins"), start, 40, 10);
    write(Map.of("cluster", "a"), start, 40, 20);
    try (BlockSet plain = BlockSet.open(dir)) {
      BlockSet set = plain.withExternalLabels();
      try (Querier q = set.querier(start, start + 3_600_000L)) {
        assertThat(select(q, Matcher.equal("__name__", "up"))).containsExactly(
            "{__name__=\"up\", cluster=\"a\", job=\"api\"}",
            "{__name__=\"up\", cluster=\"a\", job=\"db\", zone=\"z1\"}",
            "{__name__=\"up\", cluster=\"b\", job=\"api\", zone=\"external-wins\"}",
            "{__name__=\"up\", cluster=\"b\", job=\"db\", zone=\"external-wins\"}");
        assertThat(select(q, Matcher.equal("cluster", "a"), Matcher.equal("job", "db"))).containsExactly(
            "{__name__=\"up\", cluster=\"a\", job=\"db\", zone=\"z1\"}");
        assertThat(select(q, Matcher.regex("cluster", "c.*"))).isEmpty();
        assertThat(q.labelValues("cluster")).containsExactly("a", "b");
        assertThat(q.labelNames()).containsExactly("__name__", "cluster", "job", "zone");
      }
      try (Querier q = plain.querier(start, start + 3_600_000L)) {
        assertThat(q.labelNames()).containsExactly("__name__", "job", "zone");
        assertThat(select(q, Matcher.equal("job", "api"))).containsExactly("{__name__=\"up\", job=\"api\"}");
      }
    }
  }
}
