package dev.orrery.core.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LabelsTest {
  @Test
  void sortsByNameAndDropsEmptyValues() {
    Labels l = Labels.of("job", "api", "__name__", "up", "empty", "", "a", "1");
    assertThat(l.size()).isEqualTo(3);
    assertThat(l.name(0)).isEqualTo("__name__");
    assertThat(l.name(1)).isEqualTo("a");
    assertThat(l.name(2)).isEqualTo("job");
    assertThat(l.get("empty")).isEmpty();
    assertThat(l.metricName()).isEqualTo("up");
    assertThat(l.withoutMetricName()).isEqualTo(Labels.of("a", "1", "job", "api"));
    assertThat(l.toString()).isEqualTo("{__name__=\"up\", a=\"1\", job=\"api\"}");
  }

  @Test
  void rejectsDuplicateNames() {
    assertThatThrownBy(() -> Labels.of("a", "1", "a", "2")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate label name a");
  }

  @Test
  void compareFollowsPrometheus() {
    assertThat(Labels.of("a", "1").compareTo(Labels.of("a", "1", "b", "2"))).isNegative();
    assertThat(Labels.of("a", "2").compareTo(Labels.of("a", "1", "b", "2"))).isPositive();
    assertThat(Labels.of("b", "1").compareTo(Labels.of("a", "1", "b", "2"))).isPositive();
    assertThat(Labels.of("a", "1").compareTo(Labels.of("a", "1"))).isZero();
  }

  @Test
  void hashIsXxHash64OfPrometheusBytes() {
    // xxHash64("") with seed 0 is the published test vector ef46db3751d8e999.
    assertThat(LabelHashing.xxHash64(new byte[0], 0)).isEqualTo(0xef46db3751d8e999L);
    // xxHash64("abc") = 44bc2cf5ad770999.
    byte[] abc = "abc".getBytes(StandardCharsets.UTF_8);
    assertThat(LabelHashing.xxHash64(abc, 3)).isEqualTo(0x44bc2cf5ad770999L);
    assertThat(Labels.of("a", "b").hash()).isEqualTo(Labels.of("a", "b").hash());
    assertThat(Labels.of("a", "b").hash()).isNotEqualTo(Labels.of("a", "c").hash());
  }

  @Test
  void utf8OrderEqualsByteOrder() {
    Properties.check("utf8OrderEqualsByteOrder", 1000, random -> {
      String a = Generators.string(random, 0, 12);
      // Often a shared prefix, so that the comparison reaches the differing characters.
      String b = random.nextBoolean() ? Generators.string(random, 0, 12)
          : a.substring(0, a.offsetByCodePoints(0, random.nextInt(a.codePointCount(0, a.length()) + 1)))
              + Generators.string(random, 0, 4);
      int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
          b.getBytes(StandardCharsets.UTF_8)));
      assertThat(Integer.signum(Utf8Order.compare(a, b))).as("%s vs %s", a, b).isEqualTo(expected);
    });
  }

  @Test
  void builderOrderDoesNotMatter() {
    Properties.check("builderOrderDoesNotMatter", 1000, random -> {
      String x = Generators.string(random, 1, 8);
      String y = Generators.string(random, 1, 8);
      Properties.assume(!x.equals(y));
      Labels one = new LabelsBuilder().set(x, "1").set(y, "2").build();
      Labels two = new LabelsBuilder().set(y, "2").set(x, "1").build();
      assertThat(one).isEqualTo(two);
      assertThat(one.hash()).isEqualTo(two.hash());
      assertThat(Utf8Order.compare(one.name(0), one.name(1))).isNegative();
    });
  }
}
