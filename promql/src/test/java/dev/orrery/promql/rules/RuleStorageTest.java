package dev.orrery.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.Block;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockVerifier;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SeriesSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleStorageTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final Labels SERIES = Labels.of("__name__", "job:up:sum", "job", "api");

  @TempDir
  Path dir;

  @Test
  void keepsSamplesInOrderClipsQueriesAndFlushesOldSamplesAsABlock() throws Exception {
    RuleStorage storage = new RuleStorage();
    for (int i = 0; i < 720; i++) {
      assertThat(storage.append(SERIES, T0 + i * 15_000L, i)).isTrue();
    }
    assertThat(storage.append(SERIES, T0, -1)).as("out of order").isFalse();
    assertThat(times(storage, T0 + 60_000, T0 + 120_000)).containsExactly(T0 + 60_000, T0 + 75_000, T0 + 90_000,
        T0 + 105_000, T0 + 120_000);

    long cutoff = T0 + 7_200_000;
    BlockMeta meta = storage.flush(cutoff, dir, Map.of("ruler", "r1")).orElseThrow();

    Path blockDir = dir.resolve(meta.ulid().toString());
    assertThat(BlockVerifier.verify(blockDir).problems()).isEmpty();
    assertThat(meta.stats().numSamples()).isEqualTo(480);
    assertThat(meta.thanos().labels()).containsEntry("ruler", "r1");
    assertThat(meta.thanos().source()).isEqualTo("ruler");
    try (Block block = Block.open(blockDir)) {
      assertThat(times(block, Long.MIN_VALUE, Long.MAX_VALUE)).hasSize(480).last().isEqualTo(cutoff - 15_000);
    }
    assertThat(times(storage, Long.MIN_VALUE, Long.MAX_VALUE)).hasSize(240).first().isEqualTo(cutoff);
    assertThat(storage.append(SERIES, cutoff - 15_000, 0)).as("before what was stored").isFalse();
    assertThat(storage.flush(cutoff, dir, Map.of())).isEmpty();
  }

  private static List<Long> times(Queryable q, long mint, long maxt) throws Exception {
    List<Long> out = new ArrayList<>();
    try (Querier querier = q.querier(mint, maxt)) {
      SeriesSet set = querier.select(true, null, Matcher.equal("job", "api"));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        while (it.next() == ValueType.FLOAT) {
          out.add(it.atT());
        }
      }
    }
    return out;
  }
}
