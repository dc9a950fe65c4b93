package dev.orrery.core.labels;

import java.util.Comparator;

/**
 * Orders strings by their UTF-8 bytes (unsigned), as Go does and every Prometheus file requires. Java's
 * {@link String#compareTo} orders UTF-16 code units, which differs only when a surrogate pair (a code point above
 * U+FFFF) meets a character in U+E000..U+FFFF; this comparator fixes up exactly that case and is otherwise as fast.
 */
public final class Utf8Order {
  /** The comparator form of {@link #compare}. */
  public static final Comparator<String> COMPARATOR = Utf8Order::compare;

  private Utf8Order() {}

  /** Compares {@code a} and {@code b} as their UTF-8 byte sequences would compare. */
  public static int compare(String a, String b) {
    // Equal strings are the common case when merging sorted label sets; equals() is an intrinsic.
    if (a == b || a.equals(b)) {
      return 0;
    }
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        if (ca >= 0xD800 && cb >= 0xD800) {
          return fixup(ca) - fixup(cb);
        }
        return ca - cb;
      }
    }
    return a.length() - b.length();
  }

  // Surrogates (D800..DFFF) encode code points above FFFF, whose UTF-8 bytes sort after E000..FFFF.
  private static int fixup(char c) {
    return c < 0xE000 ? c + 0x2000 : c - 0x800;
  }
}
