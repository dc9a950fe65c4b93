package dev.orrery.downsample.compact;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockMeta.Compaction;
import dev.orrery.core.block.BlockMeta.Stats;
import dev.orrery.core.block.BlockMeta.ThanosMeta;
import dev.orrery.core.block.Ulid;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Block metas for planner tests: only times, labels, resolution and sources matter to the planners. */
final class Blocks {
  private static final AtomicLong NEXT = new AtomicLong(1);

  private Blocks() {}

  /** A fresh ULID; later calls give larger ULIDs. */
  static Ulid ulid() {
    return new Ulid(0x0123_4567_89ABL << 16, NEXT.getAndIncrement());
  }

  /** A level-1 raw block without a Thanos section. */
  static BlockMeta block(long minTimeMillis, long maxTimeMillis) {
    Ulid id = ulid();
    return new BlockMeta(id, minTimeMillis, maxTimeMillis, Stats.of(1, 1, 1), Compaction.level1(id), null);
  }

  /** A level-1 block with external labels and a resolution. */
  static BlockMeta block(long minTimeMillis, long maxTimeMillis, Map<String, String> labels, long resolutionMillis) {
    return block(minTimeMillis, maxTimeMillis).withThanos(ThanosMeta.of(labels, resolutionMillis, "sidecar"));
  }

  /** A raw block compacted from {@code sources}. */
  static BlockMeta block(long minTimeMillis, long maxTimeMillis, List<Ulid> sources) {
    return new BlockMeta(ulid(), minTimeMillis, maxTimeMillis, Stats.of(1, 1, 1),
        new Compaction(sources.size() > 1 ? 2 : 1, sources, false, List.of(), false, List.of()), null);
  }

  /** A block of {@code resolutionMillis} made of {@code sources}. */
  static BlockMeta downsampled(long minTimeMillis, long maxTimeMillis, long resolutionMillis, List<Ulid> sources) {
    return block(minTimeMillis, maxTimeMillis, sources)
        .withThanos(ThanosMeta.of(Map.of("cluster", "eu"), resolutionMillis, "compactor"));
  }

  /** {@code meta} with a failed compaction. */
  static BlockMeta failed(BlockMeta meta) {
    Compaction c = meta.compaction();
    return new BlockMeta(meta.ulid(), meta.minTimeMillis(), meta.maxTimeMillis(), meta.stats(),
        new Compaction(c.level(), c.sources(), c.deletable(), c.parents(), true, c.hints()), meta.thanos());
  }
}
