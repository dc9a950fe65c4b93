package dev.orrery.downsample.compact;

import static dev.orrery.downsample.compact.Blocks.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.block.BlockMeta;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CompactionGroupTest {
  private static final Map<String, String> EU_PROD = Map.of("cluster", "eu", "environment", "prod");

  @Test
  void blocksAreGroupedByWholeLabelSetAndResolution() {
    BlockMeta rawLate = block(20, 40, EU_PROD, 0);
    BlockMeta rawEarly = block(0, 20, EU_PROD, 0);
    BlockMeta fiveMinute = block(0, 40, EU_PROD, 300_000);
    BlockMeta subset = block(0, 20, Map.of("cluster", "eu"), 0);
    BlockMeta plain = block(0, 20);

    List<CompactionGroup> groups = CompactionGroup.of(List.of(rawLate, fiveMinute, subset, plain, rawEarly));

    assertThat(groups).extracting(CompactionGroup::key).containsExactly(
        "0@{cluster=\"eu\",environment=\"prod\"}",
        "0@{cluster=\"eu\"}",
        "0@{}",
        "300000@{cluster=\"eu\",environment=\"prod\"}");
    assertThat(groups.get(0).blocks()).containsExactly(rawEarly, rawLate);
    assertThat(groups.get(0).labels()).containsExactly(Map.entry("cluster", "eu"), Map.entry("environment", "prod"));
    assertThat(groups.get(0).resolutionMillis()).isZero();
    assertThat(groups.get(1).blocks()).containsExactly(subset);
    assertThat(groups.get(2).blocks()).containsExactly(plain);
    assertThat(groups.get(2).labels()).isEmpty();
    assertThat(groups.get(3).blocks()).containsExactly(fiveMinute);
    assertThat(groups.get(3).resolutionMillis()).isEqualTo(300_000);
  }

  @Test
  void sameMinTimeIsOrderedByUlid() {
    BlockMeta first = block(0, 20, EU_PROD, 0);
    BlockMeta second = block(0, 10, EU_PROD, 0);
    assertThat(CompactionGroup.of(List.of(second, first)).getFirst().blocks()).containsExactly(first, second);
  }

  @Test
  void noBlocksNoGroups() {
    assertThat(CompactionGroup.of(List.of())).isEmpty();
  }

  @Test
  void keyQuotesValuesAndUnusualNames() {
    TreeMap<String, String> labels = new TreeMap<>(Map.of("a", "say \"hi\"\\\n", "k8s.io/zone", "b"));
    assertThat(new CompactionGroup(labels, 3_600_000, List.of()).key())
        .isEqualTo("3600000@{a=\"say \\\"hi\\\"\\\\\\n\",\"k8s.io/zone\"=\"b\"}");
  }

  @Test
  void namesThatOnlyLookAlikeStayApart() {
    // Unquoted, a name containing =" could make two different label sets print alike.
    BlockMeta one = block(0, 20, Map.of("a", "1\",b=\"2"), 0);
    BlockMeta two = block(0, 20, Map.of("a", "1", "b", "2"), 0);
    assertThat(CompactionGroup.of(List.of(one, two))).hasSize(2);
  }

  @Test
  void blockOfAnotherGroupIsRejected() {
    TreeMap<String, String> labels = new TreeMap<>(EU_PROD);
    BlockMeta other = block(0, 20, EU_PROD, 300_000);
    assertThatThrownBy(() -> new CompactionGroup(labels, 0, List.of(other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(other.ulid().toString())
        .hasMessageContaining("300000@");
  }
}
