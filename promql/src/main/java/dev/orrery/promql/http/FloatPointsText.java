package dev.orrery.promql.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The JSON text of a series' float points, {@code [[t,"v"],...]}, built as ASCII bytes for {@link ApiJsonWriter} to
 * write as one raw value: the points need no escaping, and the generator's per-token bookkeeping and char-to-UTF-8
 * pass would otherwise dominate large matrices.
 *
 * <p>The series of a range result share their step timestamps, so each timestamp's text is formatted once and kept
 * in a small direct-mapped cache. Confined to one thread; reused for every series of a response.
 */
final class FloatPointsText {
  private static final int TIMESTAMP_SLOTS = 2048;
  /** Room for one point: the longest timestamp (21 bytes) and float (24 bytes) plus punctuation. */
  private static final int POINT_ROOM = 64;

  private final long[] timestampKeys = new long[TIMESTAMP_SLOTS];
  private final byte[][] timestampText = new byte[TIMESTAMP_SLOTS][];
  private final StringBuilder number = new StringBuilder(32);
  private byte[] buf = new byte[8192];
  private int length;

  /** Replaces the text with that of {@code ts.length} points. */
  void build(long[] ts, double[] vs) {
    length = 0;
    ensureRoom(ts.length * 24L + 2);
    buf[length++] = '[';
    for (int i = 0; i < ts.length; i++) {
      ensureRoom(POINT_ROOM);
      byte[] b = buf;
      int at = length;
      if (i > 0) {
        b[at++] = ',';
      }
      b[at++] = '[';
      byte[] t = timestamp(ts[i]);
      System.arraycopy(t, 0, b, at, t.length);
      at += t.length;
      b[at++] = ',';
      b[at++] = '"';
      StringBuilder n = number;
      n.setLength(0);
      ApiJsonWriter.appendFloat(n, vs[i]);
      for (int k = 0, len = n.length(); k < len; k++) {
        b[at++] = (byte) n.charAt(k);
      }
      b[at++] = '"';
      b[at++] = ']';
      length = at;
    }
    ensureRoom(1);
    buf[length++] = ']';
  }

  /** The text's bytes: the first {@link #length()} of this array. */
  byte[] bytes() {
    return buf;
  }

  int length() {
    return length;
  }

  private byte[] timestamp(long millis) {
    int slot = (int) ((millis * 0x9E3779B97F4A7C15L) >>> 53); // 11 bits: TIMESTAMP_SLOTS
    byte[] text = timestampText[slot];
    if (text == null || timestampKeys[slot] != millis) {
      text = ApiJsonWriter.formatTimestamp(millis).getBytes(StandardCharsets.US_ASCII);
      timestampText[slot] = text;
      timestampKeys[slot] = millis;
    }
    return text;
  }

  private void ensureRoom(long n) {
    if (length + n > buf.length) {
      long want = Math.max(length + n, buf.length * 2L);
      if (want > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("a series' points exceed 2 GiB of JSON");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }
}
