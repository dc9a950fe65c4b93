package dev.orrery.core.block;

import java.security.SecureRandom;
import java.util.Random;

/**
 * A ULID (FORMATS.md 1.2): 48-bit millisecond timestamp plus 80 random bits, written as 26 Crockford base32
 * characters. String order equals numeric order equals creation order. Immutable.
 *
 * @param high the most significant 64 bits (timestamp in the top 48)
 * @param low the least significant 64 bits
 */
public record Ulid(long high, long low) implements Comparable<Ulid> {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final byte[] DECODE = new byte[128];
  private static final Random RANDOM = new SecureRandom();

  static {
    java.util.Arrays.fill(DECODE, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      DECODE[ALPHABET[i]] = (byte) i;
      DECODE[Character.toLowerCase(ALPHABET[i])] = (byte) i;
    }
  }

  /** A new ULID for the current wall-clock time. */
  public static Ulid generate() {
    return generate(System.currentTimeMillis(), RANDOM);
  }

  /** A ULID with timestamp {@code timeMillis} and randomness from {@code random}. */
  public static Ulid generate(long timeMillis, Random random) {
    if ((timeMillis >>> 48) != 0) {
      throw new IllegalArgumentException("timestamp does not fit 48 bits: " + timeMillis);
    }
    long rand16 = random.nextInt() & 0xFFFFL;
    return new Ulid((timeMillis << 16) | rand16, random.nextLong());
  }

  /**
   * Parses the 26-character text form (either case).
   *
   * @throws IllegalArgumentException if {@code s} is not a valid ULID
   */
  public static Ulid parse(String s) {
    if (!isValid(s)) {
      throw new IllegalArgumentException("invalid ULID \"" + s + "\": want 26 Crockford base32 characters");
    }
    long hi = 0;
    long lo = 0;
    // 130 bits; the first character carries the top 3 bits (its top 2 bits are zero).
    for (int i = 0; i < 26; i++) {
      int v = DECODE[s.charAt(i)];
      hi = (hi << 5) | (lo >>> 59);
      lo = (lo << 5) | v;
    }
    return new Ulid(hi, lo);
  }

  /** True when {@code s} is a valid ULID string (used to skip non-block directories). */
  public static boolean isValid(String s) {
    if (s == null || s.length() != 26 || s.charAt(0) > '7') {
      return false;
    }
    for (int i = 0; i < 26; i++) {
      char c = s.charAt(i);
      if (c >= 128 || DECODE[c] < 0) {
        return false;
      }
    }
    return true;
  }

  /** The creation timestamp in milliseconds. */
  public long timeMillis() {
    return high >>> 16;
  }

  @Override
  public int compareTo(Ulid o) {
    int c = Long.compareUnsigned(high, o.high);
    return c != 0 ? c : Long.compareUnsigned(low, o.low);
  }

  /** The 26-character upper-case form. */
  @Override
  public String toString() {
    char[] out = new char[26];
    long hi = high;
    long lo = low;
    for (int i = 25; i >= 0; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo = (lo >>> 5) | (hi << 59);
      hi >>>= 5;
    }
    return new String(out);
  }
}
