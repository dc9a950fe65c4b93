package dev.orrery.downsample.compact;

import static dev.orrery.downsample.compact.Blocks.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompactionPlannerTest {
  private static final long H = 3_600_000L;
  private static final long D = 24 * H;
  private final CompactionPlanner small = new CompactionPlanner(20, 60, 180, 540);

  private static List<BlockMeta> blocks(long... bounds) {
    List<BlockMeta> out = new ArrayList<>();
    for (int i = 0; i < bounds.length; i += 2) {
      out.add(block(bounds[i], bounds[i + 1]));
    }
    return out;
  }

  private List<BlockMeta> plan(List<BlockMeta> blocks) {
    return small.plan(blocks, Set.of());
  }

  @Test
  void noBlockOrOneBlockPlansNothing() {
    assertThat(plan(List.of())).isEmpty();
    assertThat(plan(blocks(0, 20))).isEmpty();
  }

  @Test
  void newestBlockIsLeftOut() {
    List<BlockMeta> b = blocks(0, 20, 20, 40, 40, 60);
    assertThat(plan(b)).isEmpty();

    List<BlockMeta> withNext = new ArrayList<>(b);
    withNext.add(block(60, 80));
    assertThat(plan(withNext)).containsExactlyElementsOf(b);
  }

  @Test
  void inputOrderDoesNotMatter() {
    List<BlockMeta> b = blocks(40, 60, 0, 20, 60, 80, 20, 40);
    assertThat(plan(b)).containsExactly(b.get(1), b.get(3), b.get(0));
  }

  @Test
  void partOlderThanNewestBlockIsMergedBeforeItIsFull() {
    // [0, 60) lacks 40-60, but the newest remaining block starts at 60: nothing can fill the gap any more.
    List<BlockMeta> b = blocks(0, 20, 20, 40, 60, 80, 80, 100);
    assertThat(plan(b)).containsExactly(b.get(0), b.get(1));
  }

  @Test
  void partThatCouldStillGrowIsNotMerged() {
    // 0-20 and 20-40 end after 20, where the newest remaining block starts: 40-60 may still come.
    assertThat(plan(blocks(0, 20, 20, 40, 40, 50))).isEmpty();
  }

  @Test
  void smallestLevelIsFilledFirst() {
    List<BlockMeta> b = blocks(0, 60, 60, 120, 120, 140, 140, 160, 160, 180, 180, 200);
    assertThat(plan(b)).containsExactly(b.get(2), b.get(3), b.get(4));

    List<BlockMeta> merged = List.of(b.get(0), b.get(1), block(120, 180), b.get(5));
    assertThat(plan(merged)).containsExactly(merged.get(0), merged.get(1), merged.get(2));
  }

  @Test
  void blockTooLargeForRangeIsSkipped() {
    // 40-80 crosses the 60 boundary: it fits no range of 60 and is left alone there.
    List<BlockMeta> b = blocks(40, 80, 120, 140, 140, 160, 160, 180, 180, 200);
    assertThat(plan(b)).containsExactly(b.get(1), b.get(2), b.get(3));
  }

  @Test
  void splitByRangeCutsAtAlignedBoundaries() {
    // Thanos' doc example, plus a block that is larger than the range.
    List<BlockMeta> b = blocks(0, 10, 10, 20, 50, 60, 90, 100);
    assertThat(CompactionPlanner.splitByRange(b, 30))
        .containsExactly(List.of(b.get(0), b.get(1)), List.of(b.get(2)), List.of(b.get(3)));

    List<BlockMeta> c = blocks(0, 20, 40, 80, 80, 100);
    assertThat(CompactionPlanner.splitByRange(c, 60)).containsExactly(List.of(c.get(0)), List.of(c.get(2)));
  }

  @Test
  void negativeTimesAlignDownwards() {
    List<BlockMeta> b = blocks(-61, -60, -1, 0);
    assertThat(CompactionPlanner.splitByRange(b, 60)).containsExactly(List.of(b.get(0)), List.of(b.get(1)));

    // -40 lies in [-60, 0]; rounding toward zero would put it in [0, 60] together with 0-20.
    List<BlockMeta> n = blocks(-40, -20, -20, 0, 0, 20, 20, 40);
    assertThat(plan(n)).containsExactly(n.get(0), n.get(1));
  }

  @Test
  void overlappingBlocksComeFirst() {
    List<BlockMeta> b = blocks(0, 20, 20, 40, 40, 60, 60, 80, 100, 120, 110, 130);
    assertThat(plan(b)).containsExactly(b.get(4), b.get(5));
  }

  @Test
  void overlapRunFollowsTheLargestEndSoFar() {
    // 25-40 does not overlap 10-20 but overlaps 0-30, which is in the run; 50-60 ends it.
    List<BlockMeta> b = blocks(0, 30, 10, 20, 25, 40, 50, 60, 55, 70);
    assertThat(plan(b)).containsExactly(b.get(0), b.get(1), b.get(2));
  }

  @Test
  void overlapsAreFoundEvenInTheNewestBlock() {
    List<BlockMeta> b = blocks(0, 20, 10, 30);
    assertThat(plan(b)).containsExactlyElementsOf(b);
  }

  @Test
  void noCompactBlocksAreLeftOut() {
    List<BlockMeta> b = blocks(0, 20, 20, 40, 40, 60, 60, 80);
    assertThat(small.plan(b, Set.of(b.get(2).ulid()))).containsExactly(b.get(0), b.get(1));
  }

  @Test
  void noCompactBlockIsNotMergedAcross() {
    List<BlockMeta> b = blocks(0, 20, 20, 40, 40, 60, 60, 80, 80, 100, 100, 120, 120, 140);
    // [0, 60) is split at 20-40 into two single blocks; [60, 120) is next.
    assertThat(small.plan(b, Set.of(b.get(1).ulid()))).containsExactly(b.get(3), b.get(4), b.get(5));
  }

  @Test
  void noCompactBlockDoesNotJoinAnOverlap() {
    List<BlockMeta> b = blocks(0, 20, 10, 30, 40, 60, 60, 80);
    Set<Ulid> marked = Set.of(b.get(1).ulid());
    assertThat(small.plan(b, marked)).isEmpty();
    assertThat(small.plan(b, Set.of())).containsExactly(b.get(0), b.get(1));
  }

  @Test
  void markedNewestBlockStillCountsAsNewest() {
    // As in Thanos, the newest block is left out whether marked or not, so 40-60 is not planned in its place.
    List<BlockMeta> b = blocks(0, 20, 20, 40, 40, 60, 60, 80);
    assertThat(small.plan(b, Set.of(b.get(3).ulid()))).containsExactly(b.get(0), b.get(1), b.get(2));
  }

  @Test
  void partWithFailedCompactionIsNotChosen() {
    List<BlockMeta> b = new ArrayList<>(blocks(0, 20, 20, 40, 40, 60, 60, 80, 80, 100, 100, 120, 120, 140));
    b.set(1, Blocks.failed(b.get(1)));
    assertThat(plan(b)).containsExactly(b.get(3), b.get(4), b.get(5));
  }

  @Test
  void singleRangePlansOnlyOverlaps() {
    CompactionPlanner one = new CompactionPlanner(20);
    assertThat(one.plan(blocks(0, 20, 20, 40, 40, 60, 60, 80), Set.of())).isEmpty();
    List<BlockMeta> b = blocks(0, 20, 10, 40);
    assertThat(one.plan(b, Set.of())).containsExactlyElementsOf(b);
  }

  @Test
  void defaultRangesMergeTwoHourBlocksIntoEightHours() {
    long base = Math.floorDiv(1_700_000_000_000L, 14 * D) * 14 * D;
    List<BlockMeta> twoHour = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      twoHour.add(block(base + i * 2 * H, base + (i + 1) * 2 * H));
    }
    CompactionPlanner planner = new CompactionPlanner();
    assertThat(planner.rangesMillis()).containsExactly(H, 2 * H, 8 * H, 2 * D, 14 * D);
    assertThat(planner.plan(twoHour, Set.of())).containsExactlyElementsOf(twoHour.subList(0, 4));
  }

  @Test
  void defaultRangesMergeEightHourBlocksIntoTwoDays() {
    long base = Math.floorDiv(1_700_000_000_000L, 14 * D) * 14 * D;
    List<BlockMeta> eightHour = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      eightHour.add(block(base + i * 8 * H, base + (i + 1) * 8 * H));
    }
    List<BlockMeta> all = new ArrayList<>(eightHour);
    all.add(block(base + 48 * H, base + 50 * H));
    CompactionPlanner planner = new CompactionPlanner();
    assertThat(planner.plan(all, Set.of())).containsExactlyElementsOf(eightHour);
    // Without a newer block the six are the newest part and wait.
    assertThat(planner.plan(eightHour, Set.of())).isEmpty();
  }

  @Test
  void blocksOfDifferentGroupsAreRejected() {
    List<BlockMeta> b = List.of(block(0, 20, Map.of("cluster", "eu"), 0), block(20, 40, Map.of("cluster", "us"), 0));
    assertThatThrownBy(() -> small.plan(b, Set.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster=\"eu\"").hasMessageContaining("cluster=\"us\"");
  }

  @Test
  void rangesMustBeNonEmptyPositiveAndIncreasing() {
    assertThatThrownBy(() -> new CompactionPlanner(new long[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CompactionPlanner(0, 20)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CompactionPlanner(20, 20)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("increase");
    assertThatThrownBy(() -> new CompactionPlanner(60, 20)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void overlappingMeansHalfOpenRangesIntersect() {
    assertThat(CompactionPlanner.overlapping(List.of())).isFalse();
    assertThat(CompactionPlanner.overlapping(blocks(0, 20))).isFalse();
    assertThat(CompactionPlanner.overlapping(blocks(0, 20, 20, 40))).isFalse();
    assertThat(CompactionPlanner.overlapping(blocks(0, 20, 19, 40))).isTrue();
    assertThat(CompactionPlanner.overlapping(blocks(50, 60, 0, 100))).isTrue();
    assertThat(CompactionPlanner.overlapping(blocks(40, 60, 0, 20, 20, 40))).isFalse();
  }
}
