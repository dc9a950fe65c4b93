package dev.orrery.core.testing;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * A minimal property-based test runner on plain JUnit 5: {@link #check(String, int, Property)} runs a property a given
 * number of times, each try with its own {@link SplittableRandom} whose seed depends only on the run seed, the
 * property's name and the try's index. No shrinking: a failure names the run seed and the try index, and
 * {@code -Dorrery.seed=<seed> -Dorrery.try=<index>} replays exactly that case.
 *
 * <p>The run seed comes from the system property {@value #SEED_PROPERTY}:
 * <ul>
 *   <li>unset or blank: {@link #DEFAULT_SEED}, so that every build checks the same cases;</li>
 *   <li>a number ({@code 42}, {@code -7}, {@code 0x1f...}): that seed;</li>
 *   <li>{@code random}: a seed chosen once per JVM, to explore new cases; failure messages name it.</li>
 * </ul>
 * Maven passes {@code -D} options on to the test JVM, for example
 * {@code ./mvnw -pl core test -Dtest=PostingsTest -Dorrery.seed=random}.
 *
 * <pre>{@code
 * @Test
 * void reverseTwiceIsIdentity() {
 *   Properties.check("reverseTwiceIsIdentity", 300, random -> {
 *     String s = Generators.string(random, 0, 20);
 *     assertThat(new StringBuilder(s).reverse().reverse().toString()).isEqualTo(s);
 *   });
 * }
 * }</pre>
 */
public final class Properties {
  /** System property holding the run seed: a decimal or {@code 0x} hexadecimal long, or {@code random}. */
  public static final String SEED_PROPERTY = "orrery.seed";
  /** System property that restricts every property to the one try with this index, to replay a failure. */
  public static final String TRY_PROPERTY = "orrery.try";
  /** The run seed when {@value #SEED_PROPERTY} is not set. */
  public static final long DEFAULT_SEED = 0x6f7272657279L;
  /** A property fails when more than this many tries per requested try were {@linkplain #assume discarded}. */
  public static final int MAX_DISCARDS_PER_TRY = 5;

  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private static volatile Long randomSeed;

  private Properties() {}

  /** The body of a property: generates its input from {@code random} and asserts; may throw anything. */
  @FunctionalInterface
  public interface Property {
    /**
     * Checks the property once.
     *
     * @param random this try's source of randomness, not shared with any other try
     * @throws Exception any failure, reported with the seed and try index that replay it
     */
    void check(SplittableRandom random) throws Exception;
  }

  /**
   * Runs {@code property} until {@code tries} tries have passed, with the run seed of {@value #SEED_PROPERTY}.
   *
   * @param name the property's name, usually the test method's: it is mixed into every try's seed, so different
   *     properties see different inputs, and it is named in failure messages
   * @param tries how many non-discarded tries must pass
   * @param property the property
   * @throws AssertionError the first failing try's failure, as cause of an error naming the run seed and the try
   *     index; or when more than {@link #MAX_DISCARDS_PER_TRY} tries per requested try were discarded
   */
  public static void check(String name, int tries, Property property) {
    check(name, tries, runSeed(), property);
  }

  /**
   * Like {@link #check(String, int, Property)}, but with an explicit run seed instead of {@value #SEED_PROPERTY}'s,
   * for example to keep the case a random run found under test.
   *
   * @param name the property's name, mixed into every try's seed
   * @param tries how many non-discarded tries must pass
   * @param seed the run seed
   * @param property the property
   * @throws AssertionError as {@link #check(String, int, Property)}
   */
  public static void check(String name, int tries, long seed, Property property) {
    if (tries <= 0) {
      throw new IllegalArgumentException("tries must be positive: " + tries);
    }
    long propertySeed = mix(seed ^ hash(name));
    String only = System.getProperty(TRY_PROPERTY);
    if (only != null && !only.isBlank()) {
      int index = Integer.parseInt(only.strip());
      if (!runTry(name, tries, seed, propertySeed, index, property)) {
        throw new AssertionError(
            "property " + name + ": try " + index + " with seed " + hex(seed) + " was discarded, nothing checked");
      }
      return;
    }
    int passed = 0;
    int discarded = 0;
    for (int index = 0; passed < tries; index++) {
      if (runTry(name, tries, seed, propertySeed, index, property)) {
        passed++;
      } else if (++discarded > MAX_DISCARDS_PER_TRY * tries) {
        throw new AssertionError("property " + name + ": " + discarded + " tries discarded for " + passed
            + " passed with seed " + hex(seed) + "; generate fewer inputs that fail its assumptions");
      }
    }
  }

  /**
   * Discards the current try when {@code condition} is false: the try counts neither as passed nor as failed, and
   * another one runs in its place. Prefer generating valid inputs; discard only rare ones.
   *
   * @param condition what the rest of the property needs of its input
   */
  public static void assume(boolean condition) {
    if (!condition) {
      throw Discarded.INSTANCE;
    }
  }

  /**
   * The run seed: {@value #SEED_PROPERTY}'s value, {@link #DEFAULT_SEED} when unset, or when it is {@code random} a
   * seed chosen once per JVM.
   *
   * @return the run seed
   * @throws IllegalArgumentException when {@value #SEED_PROPERTY} is neither a long nor {@code random}
   */
  public static long runSeed() {
    String value = System.getProperty(SEED_PROPERTY);
    if (value == null || value.isBlank()) {
      return DEFAULT_SEED;
    }
    value = value.strip();
    if (value.equalsIgnoreCase("random")) {
      return randomSeed();
    }
    try {
      if (value.startsWith("0x") || value.startsWith("0X")) {
        return Long.parseUnsignedLong(value.substring(2), 16);
      }
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + SEED_PROPERTY + " must be a long (decimal or 0x hexadecimal) or 'random', not '" + value + "'", e);
    }
  }

  /** Runs one try; false when it was discarded. */
  private static boolean runTry(String name, int tries, long seed, long propertySeed, int index, Property property) {
    try {
      property.check(new SplittableRandom(mix(propertySeed + GOLDEN_GAMMA * (index + 1L))));
      return true;
    } catch (Discarded d) {
      return false;
    } catch (Throwable t) {
      throw new AssertionError(String.format("property %s failed on try %d (of %d) with seed %s; replay with"
          + " -D%s=%s -D%s=%d%n%s", name, index, tries, hex(seed), SEED_PROPERTY, hex(seed), TRY_PROPERTY, index, t),
          t);
    }
  }

  private static long randomSeed() {
    Long seed = randomSeed;
    if (seed == null) {
      synchronized (Properties.class) {
        seed = randomSeed;
        if (seed == null) {
          seed = new SecureRandom().nextLong();
          randomSeed = seed;
        }
      }
    }
    return seed;
  }

  private static String hex(long seed) {
    return String.format("0x%016x", seed);
  }

  /** 64-bit FNV-1a over the name's UTF-16 units. */
  private static long hash(String name) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      h = (h ^ name.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finalizer: spreads every input bit over the whole output. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Thrown by {@link #assume}; carries no stack trace since it is control flow. */
  private static final class Discarded extends RuntimeException {
    static final Discarded INSTANCE = new Discarded();

    private Discarded() {
      super("discarded", null, false, false);
    }
  }
}
