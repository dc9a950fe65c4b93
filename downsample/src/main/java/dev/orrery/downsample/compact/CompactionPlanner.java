package dev.orrery.downsample.compact;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Chooses the blocks of one compaction group to merge next, as Thanos' {@code tsdbBasedPlanner}
 * ({@code pkg/compact/planner.go}) does, which is Prometheus' leveled planner ({@code tsdb/compact.go},
 * {@code LeveledCompactor.plan}) plus no-compact marks (FORMATS.md 6.4, 6.6). Calling {@link #plan} again after each
 * merge compacts a group level by level: blocks are merged into aligned ranges of the next level, smallest level
 * first.
 *
 * <p>Prometheus also plans a single block whose tombstones exceed 5 % of its series; blocks in a bucket carry no
 * tombstones file, so that rule is left out. Immutable and thread-safe.
 */
public final class CompactionPlanner {
  /** Thanos' level ranges in milliseconds: 1h, 2h, 8h, 2d, 14d (FORMATS.md 6.6). */
  public static final List<Long> DEFAULT_RANGES =
      List.of(3_600_000L, 7_200_000L, 28_800_000L, 172_800_000L, 1_209_600_000L);

  private final long[] ranges;

  /** A planner with {@link #DEFAULT_RANGES}. */
  public CompactionPlanner() {
    this(DEFAULT_RANGES.stream().mapToLong(Long::longValue).toArray());
  }

  /**
   * A planner with the given level ranges in milliseconds, smallest first. As in Prometheus, the first range is never
   * a merge target: blocks are merged into the ranges after it, so with a single range only overlapping blocks are
   * planned.
   *
   * @throws IllegalArgumentException if there are no ranges, one is not positive, or they do not increase
   */
  public CompactionPlanner(long... rangesMillis) {
    if (rangesMillis.length == 0) {
      throw new IllegalArgumentException("no compaction ranges");
    }
    for (int i = 0; i < rangesMillis.length; i++) {
      if (rangesMillis[i] <= 0) {
        throw new IllegalArgumentException("compaction range " + rangesMillis[i] + " ms is not positive");
      }
      if (i > 0 && rangesMillis[i] <= rangesMillis[i - 1]) {
        throw new IllegalArgumentException("compaction ranges must increase: " + Arrays.toString(rangesMillis));
      }
    }
    this.ranges = rangesMillis.clone();
  }

  /** The level ranges in milliseconds, smallest first. */
  public List<Long> rangesMillis() {
    return Arrays.stream(ranges).boxed().toList();
  }

  /**
   * The blocks to merge next, sorted by minimum time; empty when there is nothing to do. {@code blocks} must all
   * belong to one compaction group.
   *
   * <ol>
   *   <li>Overlapping blocks come first: the first run of blocks (by minimum time) that each start before the end of
   *       an earlier block of the run. Whether to merge them (vertical compaction) is the caller's decision; see
   *       {@link #overlapping}.
   *   <li>Otherwise the newest block (largest minimum time) is left out, so that a block that was just uploaded can
   *       be repaired for a whole block range before it is compacted.
   *   <li>For each range after the first, the remaining blocks are cut at the aligned boundaries of that range; the
   *       first part of two or more blocks is chosen if it spans the whole range, or if it ends no later than the
   *       newest remaining block starts (no later block can still fill it). A part with a block whose compaction
   *       failed is never chosen.
   * </ol>
   *
   * <p>Blocks in {@code noCompact} are never planned, but they keep their place, as in Thanos: they count for the
   * newest block and for the ranges, and a chosen part is split at them into runs, of which the first with two or more
   * blocks is returned. So no merge ever reaches across a no-compact block, and the blocks around it still compact
   * into the ranges they would have used without the mark.
   *
   * @throws IllegalArgumentException if the blocks are of more than one compaction group
   */
  public List<BlockMeta> plan(List<BlockMeta> blocks, Set<Ulid> noCompact) {
    Objects.requireNonNull(blocks, "blocks is null");
    Objects.requireNonNull(noCompact, "noCompact is null");
    if (blocks.isEmpty()) {
      return List.of();
    }
    checkOneGroup(blocks);
    List<BlockMeta> byMinTime = new ArrayList<>(blocks);
    byMinTime.sort(CompactionGroup.BY_MIN_TIME);
    List<BlockMeta> candidates = new ArrayList<>(byMinTime.size());
    for (BlockMeta b : byMinTime) {
      if (!noCompact.contains(b.ulid())) {
        candidates.add(b);
      }
    }
    List<BlockMeta> overlapping = selectOverlapping(candidates);
    if (!overlapping.isEmpty()) {
      return overlapping;
    }
    // Thanos leaves out the newest of all blocks, even when it carries a no-compact mark.
    return selectByRange(byMinTime.subList(0, byMinTime.size() - 1), noCompact);
  }

  /**
   * Whether any block starts before another, earlier-starting block of {@code blocks} ends: the blocks' half-open
   * ranges {@code [minTime, maxTime)} intersect, and merging them is a vertical compaction. Blocks that only touch do
   * not overlap. Thanos asks this of a plan to decide whether vertical compaction is needed.
   */
  public static boolean overlapping(List<BlockMeta> blocks) {
    List<BlockMeta> byMinTime = new ArrayList<>(blocks);
    byMinTime.sort(CompactionGroup.BY_MIN_TIME);
    return !selectOverlapping(byMinTime).isEmpty();
  }

  private static void checkOneGroup(List<BlockMeta> blocks) {
    BlockMeta first = blocks.getFirst();
    String key = CompactionGroup.key(CompactionGroup.resolutionOf(first), CompactionGroup.labelsOf(first));
    for (BlockMeta b : blocks) {
      String other = CompactionGroup.key(CompactionGroup.resolutionOf(b), CompactionGroup.labelsOf(b));
      if (!other.equals(key)) {
        throw new IllegalArgumentException("blocks of different compaction groups: " + first.ulid() + " in " + key
            + ", " + b.ulid() + " in " + other);
      }
    }
  }

  // Thanos selectOverlappingMetas (Prometheus selectOverlappingDirs): globalMaxT grows over the run, so a block that
  // overlaps any earlier block of the run joins it, even if it does not overlap its predecessor.
  private static List<BlockMeta> selectOverlapping(List<BlockMeta> byMinTime) {
    List<BlockMeta> run = new ArrayList<>();
    if (byMinTime.size() < 2) {
      return run;
    }
    long globalMaxT = byMinTime.getFirst().maxTimeMillis();
    for (int i = 1; i < byMinTime.size(); i++) {
      BlockMeta b = byMinTime.get(i);
      if (b.minTimeMillis() < globalMaxT) {
        if (run.isEmpty()) {
          run.add(byMinTime.get(i - 1));
        }
        run.add(b);
      } else if (!run.isEmpty()) {
        break;
      }
      globalMaxT = Math.max(globalMaxT, b.maxTimeMillis());
    }
    return run;
  }

  // Thanos selectMetas (Prometheus selectDirs).
  private List<BlockMeta> selectByRange(List<BlockMeta> byMinTime, Set<Ulid> noCompact) {
    if (ranges.length < 2 || byMinTime.isEmpty()) {
      return List.of();
    }
    long highTime = byMinTime.getLast().minTimeMillis();
    for (int r = 1; r < ranges.length; r++) {
      long range = ranges[r];
      for (List<BlockMeta> part : splitByRange(byMinTime, range)) {
        if (part.size() < 2 || part.stream().anyMatch(b -> b.compaction().failed())) {
          continue;
        }
        long minT = part.getFirst().minTimeMillis();
        long maxT = part.getLast().maxTimeMillis();
        // A part that neither fills its range nor lies wholly before the newest block could still grow: a block of
        // the same size may yet arrive for the rest of the range, so merging now would be premature.
        if (maxT - minT != range && maxT > highTime) {
          continue;
        }
        List<BlockMeta> run = firstUnmarkedRun(part, noCompact);
        if (!run.isEmpty()) {
          return run;
        }
      }
    }
    return List.of();
  }

  private static List<BlockMeta> firstUnmarkedRun(List<BlockMeta> part, Set<Ulid> noCompact) {
    int start = 0;
    for (int i = 0; i <= part.size(); i++) {
      if (i == part.size() || noCompact.contains(part.get(i).ulid())) {
        if (i - start > 1) {
          return List.copyOf(part.subList(start, i));
        }
        start = i + 1;
      }
    }
    return List.of();
  }

  /**
   * Thanos {@code splitByRange} (Prometheus {@code splitByRange}): cuts blocks sorted by minimum time into parts, each
   * the consecutive blocks that fit into one aligned range {@code [t0, t0 + range]}, where {@code t0} is the multiple
   * of {@code range} at or below the first block's minimum time. A block that fits no range of this width (misaligned,
   * or already larger) is skipped. For example {@code [0-10, 10-20, 50-60, 90-100]} with range 30 gives
   * {@code [0-10, 10-20], [50-60], [90-100]}.
   */
  static List<List<BlockMeta>> splitByRange(List<BlockMeta> byMinTime, long range) {
    List<List<BlockMeta>> parts = new ArrayList<>();
    int i = 0;
    while (i < byMinTime.size()) {
      // Floor, not truncation: a block starting at -1 belongs to [-range, 0].
      long t0 = Math.floorDiv(byMinTime.get(i).minTimeMillis(), range) * range;
      if (byMinTime.get(i).maxTimeMillis() > t0 + range) {
        i++;
        continue;
      }
      List<BlockMeta> part = new ArrayList<>();
      while (i < byMinTime.size() && byMinTime.get(i).maxTimeMillis() <= t0 + range) {
        part.add(byMinTime.get(i++));
      }
      parts.add(part);
    }
    return parts;
  }
}
