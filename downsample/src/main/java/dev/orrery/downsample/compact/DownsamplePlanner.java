package dev.orrery.downsample.compact;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.downsample.HourDownsampler;
import dev.orrery.downsample.RawDownsampler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Chooses the blocks the compactor downsamples (FORMATS.md 7.6, Thanos' {@code downsampleBucket}): a raw block to 5m
 * and a 5m block to 1h once it is long enough to give about two chunks per series, unless a block of the target
 * resolution already holds all its sources. The compactor runs {@link #toFiveMinutes} and then, with the metas
 * synced again, {@link #toOneHour}, so that new 5m blocks are turned into 1h blocks in the same pass. Stateless.
 */
public final class DownsamplePlanner {
  /** A raw block is downsampled to 5m only once it spans at least 40h (Thanos' {@code ResLevel1DownsampleRange}). */
  public static final long MIN_RANGE_FOR_5M_MILLIS = 40 * 3_600_000L;
  /** A 5m block is downsampled to 1h only once it spans at least 10 days ({@code ResLevel2DownsampleRange}). */
  public static final long MIN_RANGE_FOR_1H_MILLIS = 10 * 86_400_000L;

  private DownsamplePlanner() {}

  /**
   * The raw blocks to downsample to 5m, sorted by minimum time: those spanning at least
   * {@link #MIN_RANGE_FOR_5M_MILLIS} with a source that no 5m block in {@code metas} covers, leaving out blocks in
   * {@code noDownsample}. Marked blocks still count as covering their sources.
   *
   * @throws OrreryException {@code CORRUPT_DATA} if a block has a resolution other than raw, 5m or 1h (Thanos stops
   *     downsampling on such a block)
   */
  public static List<BlockMeta> toFiveMinutes(Collection<BlockMeta> metas, Set<Ulid> noDownsample) {
    return plan(metas, noDownsample, 0, RawDownsampler.RESOLUTION_5M, MIN_RANGE_FOR_5M_MILLIS);
  }

  /**
   * The 5m blocks to downsample to 1h, sorted by minimum time: those spanning at least
   * {@link #MIN_RANGE_FOR_1H_MILLIS} with a source that no 1h block in {@code metas} covers, leaving out blocks in
   * {@code noDownsample}. Marked blocks still count as covering their sources.
   *
   * @throws OrreryException {@code CORRUPT_DATA} if a block has a resolution other than raw, 5m or 1h
   */
  public static List<BlockMeta> toOneHour(Collection<BlockMeta> metas, Set<Ulid> noDownsample) {
    return plan(metas, noDownsample, RawDownsampler.RESOLUTION_5M, HourDownsampler.RESOLUTION_1H,
        MIN_RANGE_FOR_1H_MILLIS);
  }

  private static List<BlockMeta> plan(Collection<BlockMeta> metas, Set<Ulid> noDownsample, long fromResolution,
      long toResolution, long minRangeMillis) {
    Objects.requireNonNull(noDownsample, "noDownsample is null");
    // Sources already covered at the target resolution; a compacted block's sources are its level-1 ancestors.
    Set<Ulid> covered = new HashSet<>();
    for (BlockMeta m : metas) {
      long resolution = CompactionGroup.resolutionOf(m);
      if (resolution != 0 && resolution != RawDownsampler.RESOLUTION_5M
          && resolution != HourDownsampler.RESOLUTION_1H) {
        throw new OrreryException(ErrorCode.CORRUPT_DATA, "block " + m.ulid() + " has downsample resolution "
            + resolution + " ms; want 0, " + RawDownsampler.RESOLUTION_5M + " or " + HourDownsampler.RESOLUTION_1H);
      }
      if (resolution == toResolution) {
        covered.addAll(m.compaction().sources());
      }
    }
    List<BlockMeta> out = new ArrayList<>();
    for (BlockMeta m : metas) {
      if (CompactionGroup.resolutionOf(m) != fromResolution || noDownsample.contains(m.ulid())
          || m.maxTimeMillis() - m.minTimeMillis() < minRangeMillis || covered.containsAll(m.compaction().sources())) {
        continue;
      }
      out.add(m);
    }
    out.sort(CompactionGroup.BY_MIN_TIME);
    return out;
  }
}
