package dev.orrery.downsample.compact;

import static dev.orrery.downsample.compact.Blocks.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.block.BlockMeta;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
  private static final Map<String, String> EU = Map.of("cluster", "eu");
  private static final long END_SECONDS = 1_700_000_000L;
  private static final Instant END = Instant.ofEpochSecond(END_SECONDS);

  private final RetentionPolicy policy = new RetentionPolicy(Duration.ofDays(30), Duration.ZERO, Duration.ofDays(90));

  private static BlockMeta endingAt(long maxTimeMillis, long resolution) {
    return block(maxTimeMillis - 7_200_000, maxTimeMillis, EU, resolution);
  }

  @Test
  void blockAtExactlyItsRetentionIsKeptAndOneSecondLaterExpired() {
    BlockMeta raw = endingAt(END_SECONDS * 1000, 0);
    assertThat(policy.expired(List.of(raw), END.plus(Duration.ofDays(30)))).isEmpty();
    assertThat(policy.expired(List.of(raw), END.plus(Duration.ofDays(30)).plusSeconds(1))).containsExactly(raw);
  }

  @Test
  void maxTimeIsTruncatedToWholeSeconds() {
    // 999 ms past the second: truncated, the block has expired 500 ms after the retention of the whole second.
    BlockMeta raw = endingAt(END_SECONDS * 1000 + 999, 0);
    assertThat(policy.expired(List.of(raw), END.plus(Duration.ofDays(30)).plusMillis(500))).containsExactly(raw);
  }

  @Test
  void eachResolutionHasItsOwnRetention() {
    BlockMeta raw = endingAt(END_SECONDS * 1000, 0);
    BlockMeta fiveMinute = endingAt(END_SECONDS * 1000, 300_000);
    BlockMeta hour = endingAt(END_SECONDS * 1000, 3_600_000);
    BlockMeta plain = block(END_SECONDS * 1000 - 1000, END_SECONDS * 1000);
    List<BlockMeta> all = List.of(hour, fiveMinute, raw, plain);

    assertThat(policy.expired(all, END.plus(Duration.ofDays(31)))).containsExactlyInAnyOrder(raw, plain);
    // Zero keeps 5m blocks forever.
    assertThat(policy.expired(all, END.plus(Duration.ofDays(3650)))).containsExactlyInAnyOrder(raw, plain, hour);
  }

  @Test
  void unknownResolutionIsKept() {
    BlockMeta odd = endingAt(END_SECONDS * 1000, 120_000);
    RetentionPolicy strict = new RetentionPolicy(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));
    assertThat(strict.expired(List.of(odd), END.plus(Duration.ofDays(3650)))).isEmpty();
  }

  @Test
  void expiredBlocksAreSortedByMinTime() {
    BlockMeta late = endingAt(2_000_000, 0);
    BlockMeta early = endingAt(1_000_000, 0);
    assertThat(policy.expired(List.of(late, early), END)).containsExactly(early, late);
  }

  @Test
  void hugeRetentionDoesNotOverflow() {
    RetentionPolicy forever = new RetentionPolicy(Duration.ofSeconds(Long.MAX_VALUE), Duration.ZERO, Duration.ZERO);
    assertThat(forever.expired(List.of(endingAt(0, 0)), Instant.MAX)).isEmpty();
  }

  @Test
  void negativeRetentionIsRejected() {
    assertThatThrownBy(() -> new RetentionPolicy(Duration.ZERO, Duration.ofSeconds(-1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fiveMinutes");
  }

  @Test
  void rawRetentionShorterThanFortyHoursFailsTheDownsamplingCheck() {
    RetentionPolicy p = new RetentionPolicy(Duration.ofHours(39), Duration.ZERO, Duration.ZERO);
    assertThatThrownBy(p::checkForDownsampling).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--retention.resolution-raw=39h is shorter than 40h")
        .hasMessageNotContaining("\n");
  }

  @Test
  void fiveMinuteRetentionShorterThanTenDaysFailsTheDownsamplingCheck() {
    RetentionPolicy p = new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(10).minusMinutes(1), Duration.ZERO);
    assertThatThrownBy(p::checkForDownsampling).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--retention.resolution-5m=14399m is shorter than 10d");
  }

  @Test
  void zeroOrLongEnoughRetentionPassesTheDownsamplingCheck() {
    assertThatCode(new RetentionPolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO)::checkForDownsampling)
        .doesNotThrowAnyException();
    assertThatCode(new RetentionPolicy(Duration.ofHours(40), Duration.ofDays(10), Duration.ofSeconds(1))
        ::checkForDownsampling).doesNotThrowAnyException();
  }
}
