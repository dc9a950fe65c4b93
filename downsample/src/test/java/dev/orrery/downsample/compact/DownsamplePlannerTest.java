package dev.orrery.downsample.compact;

import static dev.orrery.downsample.compact.Blocks.block;
import static dev.orrery.downsample.compact.Blocks.downsampled;
import static dev.orrery.downsample.compact.Blocks.ulid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DownsamplePlannerTest {
  private static final long H = 3_600_000L;
  private static final long D = 24 * H;
  private static final long FIVE_MINUTES = 300_000L;
  private static final long ONE_HOUR = 3_600_000L;

  @Test
  void rawBlockIsDownsampledFromFortyHours() {
    BlockMeta exactly = block(0, 40 * H);
    BlockMeta short1 = block(100 * H, 140 * H - 1);
    assertThat(DownsamplePlanner.MIN_RANGE_FOR_5M_MILLIS).isEqualTo(144_000_000L);
    assertThat(DownsamplePlanner.toFiveMinutes(List.of(exactly, short1), Set.of())).containsExactly(exactly);
  }

  @Test
  void rawBlockWhoseSourcesAreAllInAFiveMinuteBlockIsSkipped() {
    List<Ulid> sources = List.of(ulid(), ulid(), ulid());
    BlockMeta raw = block(0, 48 * H, sources);
    BlockMeta done = downsampled(0, 48 * H, FIVE_MINUTES, sources);
    assertThat(DownsamplePlanner.toFiveMinutes(List.of(raw, done), Set.of())).isEmpty();
  }

  @Test
  void rawBlockWithOneUncoveredSourceIsPlanned() {
    List<Ulid> sources = List.of(ulid(), ulid(), ulid());
    BlockMeta raw = block(0, 48 * H, sources);
    BlockMeta partial = downsampled(0, 40 * H, FIVE_MINUTES, sources.subList(0, 2));
    // Coverage counts only blocks of the target resolution.
    BlockMeta hour = downsampled(0, 48 * H, ONE_HOUR, sources);
    assertThat(DownsamplePlanner.toFiveMinutes(List.of(raw, partial, hour), Set.of())).containsExactly(raw);
  }

  @Test
  void noDownsampleBlocksAreSkippedButStillCoverTheirSources() {
    List<Ulid> sources = List.of(ulid(), ulid());
    BlockMeta marked = block(0, 48 * H);
    BlockMeta raw = block(100 * H, 148 * H, sources);
    BlockMeta markedFive = downsampled(100 * H, 148 * H, FIVE_MINUTES, sources);
    Set<Ulid> noDownsample = Set.of(marked.ulid(), markedFive.ulid());
    assertThat(DownsamplePlanner.toFiveMinutes(List.of(marked, raw, markedFive), noDownsample)).isEmpty();
  }

  @Test
  void resultsAreSortedByMinTime() {
    BlockMeta late = block(100 * H, 148 * H);
    BlockMeta early = block(0, 48 * H);
    assertThat(DownsamplePlanner.toFiveMinutes(List.of(late, early), Set.of())).containsExactly(early, late);
  }

  @Test
  void fiveMinuteBlockIsDownsampledFromTenDays() {
    BlockMeta exactly = downsampled(0, 10 * D, FIVE_MINUTES, List.of(ulid()));
    BlockMeta short1 = downsampled(20 * D, 30 * D - 1, FIVE_MINUTES, List.of(ulid()));
    BlockMeta raw = block(40 * D, 54 * D);
    assertThat(DownsamplePlanner.MIN_RANGE_FOR_1H_MILLIS).isEqualTo(864_000_000L);
    assertThat(DownsamplePlanner.toOneHour(List.of(exactly, short1, raw), Set.of())).containsExactly(exactly);
  }

  @Test
  void fiveMinuteBlockCoveredByHourBlocksIsSkipped() {
    List<Ulid> sources = List.of(ulid(), ulid());
    BlockMeta five = downsampled(0, 14 * D, FIVE_MINUTES, sources);
    BlockMeta first = downsampled(0, 14 * D, ONE_HOUR, sources.subList(0, 1));
    assertThat(DownsamplePlanner.toOneHour(List.of(five, first), Set.of())).containsExactly(five);
    BlockMeta second = downsampled(0, 14 * D, ONE_HOUR, sources.subList(1, 2));
    assertThat(DownsamplePlanner.toOneHour(List.of(five, first, second), Set.of())).isEmpty();
  }

  @Test
  void hourBlocksAreNeverPlanned() {
    BlockMeta hour = downsampled(0, 30 * D, ONE_HOUR, List.of(ulid()));
    assertThat(DownsamplePlanner.toFiveMinutes(List.of(hour), Set.of())).isEmpty();
    assertThat(DownsamplePlanner.toOneHour(List.of(hour), Set.of())).isEmpty();
  }

  @Test
  void unknownResolutionIsCorruptData() {
    BlockMeta odd = downsampled(0, 48 * H, 120_000, List.of(ulid()));
    assertThatThrownBy(() -> DownsamplePlanner.toFiveMinutes(List.of(odd), Set.of()))
        .isInstanceOfSatisfying(OrreryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_DATA))
        .hasMessageContaining(odd.ulid().toString()).hasMessageContaining("120000");
  }
}
