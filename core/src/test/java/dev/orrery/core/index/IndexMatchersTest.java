package dev.orrery.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.io.ByteArraySource;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.MatchType;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.labels.Utf8Order;
import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link IndexReader#postingsForMatchers} and the matcher-restricted label lookups against a brute-force scan. */
class IndexMatchersTest {
  private static final String[] REGEXES = {".*", ".+", "", "x|y", "x|", "a.*", ".*i.*", "api.*", "[0-9]+",
      "1|10|2", "x?", ".*line", "naïve|\uFF21", "\uD83D\uDE00", ".", "..", "new.line", "(x|api)-?.*", "[^x].*",
      "y|xy|nope", "1.*", "a|b|c|d|e|f|10|1a|zz", "[a-f]"};

  @Test
  void postingsForMatchersAgreesWithBruteForce() {
    Properties.check("postingsForMatchersAgreesWithBruteForce", 400, random -> postingsForMatchersAgreesWithBruteForce(
        new Random(random.nextLong()), Generators.size(random, 0, 120),
        Generators.listOf(random, 1, 4, IndexMatchersTest::matcher)));
  }

  private static void postingsForMatchersAgreesWithBruteForce(Random rnd, int maxSeries, List<Matcher> matchers)
      throws IOException {
    IndexFixture f = IndexFixture.random(rnd, maxSeries);
    Matcher[] ms = matchers.toArray(new Matcher[0]);
    try (IndexReader r = IndexReader.open(new ByteArraySource("m", f.write(IndexWriter.Layout.CURRENT)))) {
      long[] refs = Postings.expand(r.allPostings());
      List<Long> want = new ArrayList<>();
      TreeSet<String> wantNames = new TreeSet<>(Utf8Order.COMPARATOR);
      for (int i = 0; i < f.series().size(); i++) {
        Labels l = f.series().get(i);
        if (matchesAll(l, ms)) {
          want.add(refs[i]);
          for (int j = 0; j < l.size(); j++) {
            wantNames.add(l.name(j));
          }
        }
      }
      assertThat(Postings.expand(r.postingsForMatchers(ms))).as("%s", matchers)
          .containsExactly(IndexRoundTripTest.longs(want));
      assertThat(r.labelNames(ms)).as("labelNames %s", matchers).containsExactlyElementsOf(wantNames);
      for (String name : List.of("a", "job", "id", "z\uD83D\uDE00", "missing")) {
        TreeSet<String> wantValues = new TreeSet<>(Utf8Order.COMPARATOR);
        for (Labels l : f.series()) {
          if (matchesAll(l, ms) && l.has(name)) {
            wantValues.add(l.get(name));
          }
        }
        assertThat(r.labelValues(name, ms)).as("labelValues %s %s", name, matchers)
            .containsExactlyElementsOf(wantValues);
      }
    }
  }

  private static boolean matchesAll(Labels l, Matcher[] ms) {
    for (Matcher m : ms) {
      if (!m.matches(l.get(m.name()))) {
        return false;
      }
    }
    return true;
  }

  private static final List<String> MATCHER_NAMES = concat(IndexFixture.NAMES, "missing", "id");
  private static final List<String> MATCHER_LITERALS = concat(IndexFixture.VALUES, "", "nope");

  private static List<String> concat(String[] values, String... more) {
    List<String> out = new ArrayList<>(List.of(values));
    out.addAll(List.of(more));
    return List.copyOf(out);
  }

  private static Matcher matcher(SplittableRandom random) {
    String name = Generators.oneOf(random, MATCHER_NAMES);
    if (random.nextBoolean()) {
      return Matcher.of(Generators.oneOf(random, MatchType.EQUAL, MatchType.NOT_EQUAL), name,
          Generators.oneOf(random, MATCHER_LITERALS));
    }
    return Matcher.of(Generators.oneOf(random, MatchType.REGEX, MatchType.NOT_REGEX), name,
        Generators.oneOf(random, REGEXES));
  }

  // ---- the cases PostingsForMatchers singles out, by example ----

  private static IndexReader fixed() throws IOException {
    List<Labels> series = List.of(
        Labels.of("job", "api", "env", "prod"),
        Labels.of("job", "api", "env", "dev"),
        Labels.of("job", "db"),
        Labels.of("job", "web", "env", "prod"),
        Labels.of("other", "1"));
    List<Labels> sorted = new ArrayList<>(series);
    sorted.sort(null);
    List<ChunkMetas> chunks = new ArrayList<>();
    sorted.forEach(s -> chunks.add(new ChunkMetas()));
    byte[] bytes = new IndexFixture(sorted, chunks).write(IndexWriter.Layout.CURRENT);
    return IndexReader.open(new ByteArraySource("fixed", bytes));
  }

  private static List<Labels> select(IndexReader r, Matcher... ms) {
    List<Labels> out = new ArrayList<>();
    Postings p = r.postingsForMatchers(ms);
    while (p.next()) {
      out.add(r.series(p.at(), new ChunkMetas()));
    }
    return out;
  }

  @Test
  void noMatchersSelectNothing() throws IOException {
    try (IndexReader r = fixed()) {
      assertThat(r.postingsForMatchers().next()).isFalse();
    }
  }

  @Test
  void emptyMatchingMatchersAloneSubtractFromAllPostings() throws IOException {
    try (IndexReader r = fixed()) {
      assertThat(select(r, Matcher.equal("env", ""))).containsExactly(Labels.of("job", "db"),
          Labels.of("other", "1"));
      assertThat(select(r, Matcher.notEqual("env", "prod"))).hasSize(3);
      assertThat(select(r, Matcher.regex("env", ".*"))).hasSize(5);
    }
  }

  @Test
  void presenceMatchersSelectSeriesHavingTheLabel() throws IOException {
    try (IndexReader r = fixed()) {
      assertThat(select(r, Matcher.regex("env", ".+"))).hasSize(3);
      assertThat(select(r, Matcher.notEqual("env", ""))).hasSize(3);
      assertThat(select(r, Matcher.notEqual("env", ""), Matcher.notEqual("env", "prod")))
          .containsExactly(Labels.of("env", "dev", "job", "api"));
    }
  }

  @Test
  void setMatchersLookUpValuesDirectly() throws IOException {
    try (IndexReader r = fixed()) {
      assertThat(select(r, Matcher.regex("job", "api|db|nope"))).hasSize(3);
      assertThat(select(r, Matcher.notRegex("job", "api|db"), Matcher.regex("job", ".+")))
          .containsExactly(Labels.of("env", "prod", "job", "web"));
      assertThat(select(r, Matcher.equal("job", "nope"), Matcher.equal("env", ""))).isEmpty();
    }
  }
}
