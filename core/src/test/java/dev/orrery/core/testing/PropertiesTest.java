package dev.orrery.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runner and the generators, run with neither system property set whatever the build was given. */
class PropertiesTest {
  private String seedProperty;
  private String tryProperty;

  @BeforeEach
  void clearProperties() {
    seedProperty = System.clearProperty(Properties.SEED_PROPERTY);
    tryProperty = System.clearProperty(Properties.TRY_PROPERTY);
  }

  @AfterEach
  void restoreProperties() {
    restore(Properties.SEED_PROPERTY, seedProperty);
    restore(Properties.TRY_PROPERTY, tryProperty);
  }

  private static List<Long> firstDraws(String name, long seed, int tries) {
    List<Long> out = new ArrayList<>();
    Properties.check(name, tries, seed, random -> out.add(random.nextLong()));
    return out;
  }

  @Test
  void triesAreReproducibleIndependentAndNamed() {
    List<Long> a = firstDraws("p", 1, 50);
    assertThat(a).hasSize(50).doesNotHaveDuplicates();
    assertThat(firstDraws("p", 1, 50)).isEqualTo(a);
    assertThat(firstDraws("p", 1, 10)).isEqualTo(a.subList(0, 10));
    assertThat(firstDraws("q", 1, 50)).doesNotContainAnyElementsOf(a);
    assertThat(firstDraws("p", 2, 50)).doesNotContainAnyElementsOf(a);
  }

  @Test
  void failureNamesSeedAndTryAndKeepsTheCause() {
    IOException cause = new IOException("boom");
    List<Integer> seen = new ArrayList<>();
    Throwable e = catchThrowable(() -> Properties.check("fails", 100, 0x2a, random -> {
      seen.add(seen.size());
      if (seen.size() == 8) {
        throw cause;
      }
    }));
    assertThat(e).isInstanceOf(AssertionError.class).hasCause(cause)
        .hasMessageStartingWith("property fails failed on try 7 (of 100) with seed 0x000000000000002a; replay with"
            + " -Dorrery.seed=0x000000000000002a -Dorrery.try=7")
        .hasMessageContaining("java.io.IOException: boom");
    assertThat(seen).hasSize(8);
  }

  @Test
  void replayRunsOnlyTheNamedTryWithTheSameRandom() {
    List<Long> all = firstDraws("replay", 7, 20);
    System.setProperty(Properties.TRY_PROPERTY, "13");
    assertThat(firstDraws("replay", 7, 20)).containsExactly(all.get(13));
  }

  @Test
  void discardedTriesAreReplacedUpToALimit() {
    int[] counts = new int[2];
    Properties.check("half", 40, 3, random -> {
      counts[0]++;
      Properties.assume(random.nextBoolean());
      counts[1]++;
    });
    assertThat(counts[1]).isEqualTo(40);
    assertThat(counts[0]).isGreaterThan(40);
    assertThatThrownBy(() -> Properties.check("never", 10, 3, random -> Properties.assume(false)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("51 tries discarded for 0 passed");
  }

  @Test
  void runSeedComesFromTheSystemProperty() {
    assertThat(Properties.runSeed()).isEqualTo(Properties.DEFAULT_SEED);
    System.setProperty(Properties.SEED_PROPERTY, "0xfffffffffffffffe");
    assertThat(Properties.runSeed()).isEqualTo(-2L);
    System.setProperty(Properties.SEED_PROPERTY, " -17 ");
    assertThat(Properties.runSeed()).isEqualTo(-17L);
    System.setProperty(Properties.SEED_PROPERTY, "random");
    assertThat(Properties.runSeed()).isEqualTo(Properties.runSeed());
    System.setProperty(Properties.SEED_PROPERTY, "seven");
    assertThatThrownBy(Properties::runSeed).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'seven'");
  }

  @Test
  void stringsAreWellFormedAndReachBeyondTheBmp() {
    boolean[] pair = new boolean[1];
    Properties.check("strings", 500, random -> {
      String s = Generators.string(random, 1, 8);
      int codePoints = s.codePointCount(0, s.length());
      assertThat(codePoints).isBetween(1, 8);
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      assertThat(new String(utf8, StandardCharsets.UTF_8)).as("no lone surrogates").isEqualTo(s);
      pair[0] |= s.length() > codePoints;
    });
    assertThat(pair[0]).as("some string had a surrogate pair").isTrue();
  }

  @Test
  void rangesAreInclusiveAndRespected() {
    boolean[] ends = new boolean[4];
    Properties.check("ranges", 2000, random -> {
      long x = Generators.longBetween(random, Long.MAX_VALUE - 2, Long.MAX_VALUE);
      assertThat(x).isGreaterThanOrEqualTo(Long.MAX_VALUE - 2);
      ends[0] |= x == Long.MAX_VALUE;
      int i = Generators.intBetween(random, -3, 3);
      assertThat(i).isBetween(-3, 3);
      ends[1] |= i == 3;
      int n = Generators.size(random, 2, 9);
      assertThat(n).isBetween(2, 9);
      ends[2] |= n == 9;
      TreeSet<Long> set = Generators.sortedLongSet(random, 20, 5, 9);
      assertThat(set.size()).isLessThanOrEqualTo(5);
      ends[3] |= set.size() == 5;
      assertThat(set).allSatisfy(v -> assertThat(v).isBetween(5L, 9L));
      assertThat(Generators.weighted(random, 0, 1, 0)).isEqualTo(1);
    });
    assertThat(ends).as("each range reached its upper end").containsOnly(true);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
