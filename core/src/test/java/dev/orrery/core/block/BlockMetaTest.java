package dev.orrery.core.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.io.CorruptBlockException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlockMetaTest {
  static final String PROMETHEUS_242 = """
      {
      \t"ulid": "01M89FTKK0S5PJGNAP9G3K056B",
      \t"minTime": 1704069000000,
      \t"maxTime": 1704074400000,
      \t"stats": {
      \t\t"numSamples": 66243,
      \t\t"numSeries": 346,
      \t\t"numChunks": 760
      \t},
      \t"compaction": {
      \t\t"level": 1,
      \t\t"sources": [
      \t\t\t"01M89FTKK0S5PJGNAP9G3K056B"
      \t\t]
      \t},
      \t"version": 1
      }""";

  @Test
  void reproducesPrometheusBytes() throws Exception {
    BlockMeta meta = BlockMeta.parse(PROMETHEUS_242.getBytes(StandardCharsets.UTF_8), "meta.json");
    assertThat(meta.stats().numSamples()).isEqualTo(66243);
    assertThat(meta.thanos()).isNull();
    assertThat(meta.toJson()).isEqualTo(PROMETHEUS_242);
  }

  @Test
  void thanosSectionRoundTrips() throws Exception {
    Ulid id = Ulid.generate(1570766400000L, new Random(1));
    BlockMeta meta = new BlockMeta(id, 1570766400000L, 1570773600000L, BlockMeta.Stats.of(14400, 10, 120),
        BlockMeta.Compaction.level1(id),
        BlockMeta.ThanosMeta.of(Map.of("replica", "a", "cluster", "one<&>"), 0, "sidecar"));
    String json = meta.toJson();
    assertThat(json).endsWith("}\n").contains("\"cluster\": \"one\\u003c\\u0026\\u003e\"")
        .contains("\"index_stats\": {}").contains("\"downsample\": {\n\t\t\t\"resolution\": 0\n\t\t}");
    assertThat(json.indexOf("cluster")).isLessThan(json.indexOf("replica"));
    BlockMeta back = BlockMeta.parse(json.getBytes(StandardCharsets.UTF_8), "meta.json");
    assertThat(back).isEqualTo(meta);
    assertThat(back.toJson()).isEqualTo(json);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{|invalid JSON",
      "[]|not a JSON object",
      "{\"version\": 2}|unsupported meta version 2",
      "{\"version\": 1, \"ulid\": \"nope\", \"minTime\": 1, \"maxTime\": 2}|field \"ulid\": invalid ULID",
      "{\"version\": 1, \"ulid\": \"01M89FTKK0S5PJGNAP9G3K056B\", \"maxTime\": 2}|field \"minTime\": missing",
      "{\"version\": 1, \"ulid\": \"01M89FTKK0S5PJGNAP9G3K056B\", \"minTime\": \"x\", \"maxTime\": 2}|field \"minTime\": want an integer",
      "{\"version\": 1, \"ulid\": \"01M89FTKK0S5PJGNAP9G3K056B\", \"minTime\": 5, \"maxTime\": 2, \"compaction\": {\"level\": 1}}|field \"maxTime\"",
      "{\"version\": 1, \"ulid\": \"01M89FTKK0S5PJGNAP9G3K056B\", \"minTime\": 1, \"maxTime\": 2}|field \"compaction\": missing"})
  void invalidMetaNamesTheField(String json, String message) {
    assertThatThrownBy(() -> BlockMeta.parse(json.getBytes(StandardCharsets.UTF_8), "01X/meta.json"))
        .isInstanceOf(CorruptBlockException.class).hasMessageContaining(message).hasMessageContaining("01X/meta.json");
  }

  @Test
  void ulidRoundTripsAndOrders() {
    Random r = new Random(7);
    Ulid a = Ulid.generate(1000, r);
    Ulid b = Ulid.generate(2000, r);
    assertThat(Ulid.parse(a.toString())).isEqualTo(a);
    assertThat(Ulid.parse(a.toString().toLowerCase())).isEqualTo(a);
    assertThat(a.toString().compareTo(b.toString())).isNegative();
    assertThat(a.compareTo(b)).isNegative();
    assertThat(a.timeMillis()).isEqualTo(1000);
    assertThat(Ulid.parse("01M89FTKK0S5PJGNAP9G3K056B").toString()).isEqualTo("01M89FTKK0S5PJGNAP9G3K056B");
    assertThat(Ulid.isValid("01M89FTKK0S5PJGNAP9G3K056I")).isFalse();
    assertThat(Ulid.isValid("81M89FTKK0S5PJGNAP9G3K056B")).isFalse();
  }
}
