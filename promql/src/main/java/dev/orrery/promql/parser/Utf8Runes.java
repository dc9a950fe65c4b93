package dev.orrery.promql.parser;

/**
 * UTF-8 decoding with the rules of Go's {@code utf8.DecodeRune}: overlong forms, surrogates and values past U+10FFFF
 * are invalid.
 */
final class Utf8Runes {
  private Utf8Runes() {}

  /** The code point of the UTF-8 sequence at {@code d[i]}, or -1 when no valid sequence starts there. */
  static int decode(byte[] d, int i) {
    int b0 = d[i] & 0xFF;
    if (b0 < 0x80) {
      return b0;
    }
    int need;
    int min;
    int cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      need = 1;
      min = 0x80;
      cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      need = 2;
      min = 0x800;
      cp = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      need = 3;
      min = 0x10000;
      cp = b0 & 0x07;
    } else {
      return -1;
    }
    if (i + need >= d.length) {
      return -1;
    }
    for (int k = 1; k <= need; k++) {
      int b = d[i + k] & 0xFF;
      if ((b & 0xC0) != 0x80) {
        return -1;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return -1;
    }
    return cp;
  }

  /** Bytes of the (shortest, as {@link #decode} requires) UTF-8 form of {@code cp}. */
  static int width(int cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
}
