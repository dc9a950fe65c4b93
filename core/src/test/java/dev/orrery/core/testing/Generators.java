package dev.orrery.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Random inputs for {@link Properties} checks, biased toward the values that break code: sizes at their bounds, the
 * 64-bit extremes, special floating-point values and strings beyond ASCII. Every method draws only from the given
 * random, so a try's inputs are replayable from its seed.
 */
public final class Generators {
  /** Prometheus' stale marker, a NaN with a payload that arithmetic does not produce. */
  public static final long STALE_NAN_BITS = dev.orrery.core.chunk.StaleNaN.BITS;

  /**
   * Raw bits of doubles that codecs get wrong: NaNs (stale marker, Go's and Java's canonical NaN, negative and
   * signalling ones), ±Inf, ±0, the smallest and largest denormals, the extreme normals and neighbours of 1.
   */
  public static final long[] SPECIAL_DOUBLE_BITS = {
      STALE_NAN_BITS, 0x7ff8000000000001L, 0x7ff8000000000000L, 0xfff8000000000000L, 0x7ff0000000000001L,
      Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
      Double.doubleToRawLongBits(-0.0), 0L, 1L, 0x000fffffffffffffL, 0x8000000000000001L,
      Double.doubleToRawLongBits(Double.MIN_NORMAL), 0x7fefffffffffffffL, -1L, Double.doubleToRawLongBits(1.0),
      Double.doubleToRawLongBits(1.0) + 1, Double.doubleToRawLongBits(-1.0)};

  private static final long[] EDGE_LONGS = {0, 1, -1, 2, -2, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
      Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 32, -(1L << 32)};

  /** Code points that differ in UTF-8 and UTF-16 order or in encoded length, and that parsers trip over. */
  private static final int[] EDGE_CODE_POINTS = {0, 0x7f, 0x80, 0xff, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xff21, 0xfffd,
      0xffff, 0x10000, 0x1f600, 0x10ffff, '"', '\\', '\n', '{', '}', '=', ','};

  private Generators() {}

  /**
   * A size in {@code [min, max]}: often {@code min}, {@code max} or close to {@code min}, otherwise uniform.
   *
   * @param random the source of randomness
   * @param min the smallest size, at least 0
   * @param max the largest size, at least {@code min}
   * @return the size
   */
  public static int size(SplittableRandom random, int min, int max) {
    if (min < 0 || max < min) {
      throw new IllegalArgumentException("bad size range [" + min + ", " + max + "]");
    }
    return switch (random.nextInt(10)) {
      case 0 -> min;
      case 1 -> max;
      case 2, 3, 4 -> intBetween(random, min, Math.min(max, min + 10));
      default -> intBetween(random, min, max);
    };
  }

  /**
   * A uniform int in {@code [min, max]}, both included.
   *
   * @param random the source of randomness
   * @param min the smallest value
   * @param max the largest value, at least {@code min}
   * @return the value
   */
  public static int intBetween(SplittableRandom random, int min, int max) {
    return (int) longBetween(random, min, max);
  }

  /**
   * A uniform long in {@code [min, max]}, both included; the whole long range is allowed.
   *
   * @param random the source of randomness
   * @param min the smallest value
   * @param max the largest value, at least {@code min}
   * @return the value
   */
  public static long longBetween(SplittableRandom random, long min, long max) {
    if (max < min) {
      throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
    }
    if (max == Long.MAX_VALUE) {
      // nextLong's bound is exclusive: draw from [min - 1, MAX) and shift up.
      return min == Long.MIN_VALUE ? random.nextLong() : random.nextLong(min - 1, max) + 1;
    }
    return random.nextLong(min, max + 1);
  }

  /**
   * Any long, a quarter of the time one of the 64- and 32-bit extremes or a small number, otherwise uniform.
   *
   * @param random the source of randomness
   * @return the value
   */
  public static long anyLong(SplittableRandom random) {
    return switch (random.nextInt(8)) {
      case 0 -> EDGE_LONGS[random.nextInt(EDGE_LONGS.length)];
      case 1 -> random.nextLong(-1000, 1001);
      default -> random.nextLong();
    };
  }

  /**
   * Raw bits of a double: often one of {@link #SPECIAL_DOUBLE_BITS}, often a short decimal (which shares many bits
   * with its neighbours), otherwise any 64 bits or a uniform double.
   *
   * @param random the source of randomness
   * @return the raw bits
   */
  public static long doubleBits(SplittableRandom random) {
    return switch (random.nextInt(10)) {
      case 0, 1, 2 -> SPECIAL_DOUBLE_BITS[random.nextInt(SPECIAL_DOUBLE_BITS.length)];
      case 3, 4, 5, 6 -> Double.doubleToRawLongBits(random.nextInt(-100_000, 100_001) / 100.0);
      case 7, 8 -> random.nextLong();
      default -> Double.doubleToRawLongBits(random.nextDouble(-1e12, 1e12));
    };
  }

  /**
   * A well-formed string (surrogates only in pairs) of {@code minLength} to {@code maxLength} code points, mixing
   * ASCII, other Latin-1, the rest of the Basic Multilingual Plane above and below the surrogates, supplementary code
   * points (surrogate pairs) and a list of edge cases such as U+0000, U+FFFF, U+10FFFF and quoting characters.
   *
   * @param random the source of randomness
   * @param minLength the fewest code points
   * @param maxLength the most code points
   * @return the string
   */
  public static String string(SplittableRandom random, int minLength, int maxLength) {
    int length = size(random, minLength, maxLength);
    StringBuilder sb = new StringBuilder(length * 2);
    for (int i = 0; i < length; i++) {
      sb.appendCodePoint(codePoint(random));
    }
    return sb.toString();
  }

  private static int codePoint(SplittableRandom random) {
    return switch (random.nextInt(10)) {
      case 0, 1, 2, 3 -> random.nextInt(0x20, 0x7f);
      case 4 -> random.nextInt(0x80, 0x100);
      case 5 -> random.nextInt(0x100, 0xd800);
      case 6 -> random.nextInt(0xe000, 0x10000);
      case 7 -> random.nextInt(0x10000, 0x110000);
      case 8 -> EDGE_CODE_POINTS[random.nextInt(EDGE_CODE_POINTS.length)];
      default -> random.nextInt(0, 0x20);
    };
  }

  /**
   * Up to {@code maxLength} bytes: uniform, or with long runs of 0x00 and 0xFF that look like headers, lengths and
   * padding.
   *
   * @param random the source of randomness
   * @param maxLength the most bytes
   * @return the bytes
   */
  public static byte[] bytes(SplittableRandom random, int maxLength) {
    byte[] out = new byte[size(random, 0, maxLength)];
    boolean runs = random.nextInt(3) == 0;
    for (int i = 0; i < out.length; i++) {
      out[i] = runs && random.nextInt(4) != 0 ? (byte) (random.nextBoolean() ? 0 : 0xff) : (byte) random.nextInt();
    }
    return out;
  }

  /**
   * A sorted set of {@link #size} distinct longs from {@code [min, max]}, at most {@code maxSize} and at most as many
   * as the range holds.
   *
   * @param random the source of randomness
   * @param maxSize the most elements
   * @param min the smallest element
   * @param max the largest element, at least {@code min}
   * @return the set
   */
  public static TreeSet<Long> sortedLongSet(SplittableRandom random, int maxSize, long min, long max) {
    long range = max - min + 1;
    int n = size(random, 0, range > 0 && range < maxSize ? (int) range : maxSize);
    TreeSet<Long> out = new TreeSet<>();
    while (out.size() < n) {
      out.add(longBetween(random, min, max));
    }
    return out;
  }

  /**
   * A list of {@link #size} elements from {@code element}.
   *
   * @param random the source of randomness, also passed to {@code element}
   * @param minSize the fewest elements
   * @param maxSize the most elements
   * @param element generates one element
   * @param <T> the element type
   * @return the list
   */
  public static <T> List<T> listOf(SplittableRandom random, int minSize, int maxSize,
      Function<SplittableRandom, T> element) {
    int n = size(random, minSize, maxSize);
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(element.apply(random));
    }
    return out;
  }

  /**
   * One of {@code values}, uniformly.
   *
   * @param random the source of randomness
   * @param values the choices, at least one
   * @param <T> the value type
   * @return the chosen value
   */
  @SafeVarargs
  public static <T> T oneOf(SplittableRandom random, T... values) {
    return values[random.nextInt(values.length)];
  }

  /**
   * One of {@code values}, uniformly.
   *
   * @param random the source of randomness
   * @param values the choices, at least one
   * @param <T> the value type
   * @return the chosen value
   */
  public static <T> T oneOf(SplittableRandom random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /**
   * One of {@code values}, uniformly.
   *
   * @param random the source of randomness
   * @param values the choices, at least one
   * @return the chosen value
   */
  public static long oneOf(SplittableRandom random, long[] values) {
    return values[random.nextInt(values.length)];
  }

  /**
   * An index into {@code weights}, each chosen with probability proportional to its weight: the switch of a
   * frequency-weighted choice between generators.
   *
   * @param random the source of randomness
   * @param weights non-negative weights, at least one positive
   * @return the chosen index
   */
  public static int weighted(SplittableRandom random, int... weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int pick = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      pick -= weights[i];
      if (pick < 0) {
        return i;
      }
    }
    throw new AssertionError("unreachable");
  }
}
