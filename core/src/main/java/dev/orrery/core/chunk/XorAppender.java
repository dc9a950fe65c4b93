package dev.orrery.core.chunk;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Encodes float samples into an XOR chunk (FORMATS.md 2.3), producing the same bytes as Prometheus for the same
 * samples: the 3.x form by default, or the 2.x form (spare trailing byte, see {@link WriterCompatibility}) to compare
 * with chunks written by promtool 2.x.
 *
 * <p>Samples must be appended in increasing time order; the appender does not check (as Prometheus' does not), and a
 * decreasing timestamp still round-trips. Cutting chunks (Prometheus stops at about 120 samples or 1 KiB) is the
 * caller's decision. Values are encoded by their raw bits, so stale NaN markers survive.
 *
 * <p>{@link #appendAll} encodes a run of samples from arrays, at a lower cost per sample than {@link #append}.
 *
 * <p>Confined to one thread. {@link #reset()} makes it reusable without allocation.
 */
public final class XorAppender {
  /** "No window yet": makes the first changed value open a window (FORMATS.md 2.3). */
  private static final int UNSET = 0xFF;
  /** {@link #UNSET} in {@link #encodeMixed}, whose window test compares uncapped leading zeros (64 when unchanged). */
  private static final int NO_WINDOW = 64;
  private static final int HEADER = XorChunk.HEADER_BYTES;
  /** Samples per {@link #encode} call of {@link #appendAll}. */
  private static final int BLOCK = 128;
  /** Bytes a sample n >= 2 may take: a 68-bit dod code and a 77-bit value code. */
  private static final int MAX_SAMPLE_BYTES = 19;

  private final BitWriter writer;
  private int num;
  private long firstT;
  private long t;
  private long tDelta;
  private long vBits;
  private int leading = UNSET;
  private int trailing;

  /** An empty chunk in Prometheus 3.x form. */
  public XorAppender() {
    this(WriterCompatibility.PROMETHEUS_3);
  }

  /** An empty chunk in the form written by {@code compatibility}. */
  public XorAppender(WriterCompatibility compatibility) {
    this.writer = new BitWriter(XorChunk.HEADER_BYTES, requireNonNull(compatibility, "compatibility is null"));
  }

  /**
   * An appender that continues {@code chunk}, as Prometheus does when it re-opens a head chunk: the state is rebuilt by
   * decoding, so the window state is the reader's (FORMATS.md 2.3, "Resuming an encoder").
   */
  public static XorAppender resume(XorChunk chunk, WriterCompatibility compatibility) {
    XorAppender a = new XorAppender(compatibility);
    XorIterator it = (XorIterator) chunk.iterator(null);
    while (it.next() != ValueType.NONE) {
      a.appendBits(it.atT(), it.atVBits());
    }
    if (a.num > 0) {
      // Re-encoding reproduces the bits; the window state must be the reader's, which starts at 0/0 rather than
      // "unset" when no window was opened yet.
      a.leading = it.leading();
      a.trailing = it.trailing();
    }
    return a;
  }

  /** Appends a sample; {@code v} is stored by its raw bits. */
  public void append(long t, double v) {
    appendBits(t, Double.doubleToRawLongBits(v));
  }

  /**
   * Appends a sample given the raw IEEE-754 bits of its value.
   *
   * @throws IllegalStateException if the chunk already holds {@value XorChunk#MAX_SAMPLES} samples
   */
  public void appendBits(long t, long valueBits) {
    int n = num;
    if (n < 2 || n == XorChunk.MAX_SAMPLES) {
      appendFirstTwo(t, valueBits);
      return;
    }
    // Sample n >= 2. The dod code and the value code go to the writer in one or two words with one accumulator
    // update; the bits are those of Prometheus' separate writes, and the 2.x spare-byte rule sees the width of the last
    // field Prometheus writes.
    long delta = t - this.t;
    long dod = delta - tDelta;
    this.t = t;
    tDelta = delta;
    num = n + 1;
    long code;
    int bits;
    if (dod == 0) {
      // The common case for regular scrape intervals.
      code = 0;
      bits = 1;
    } else if (dod >= -8191 && dod <= 8192) {
      code = (0b10L << 14) | (dod & 0x3FFF);
      bits = 16;
    } else if (dod >= -65535 && dod <= 65536) {
      code = (0b110L << 17) | (dod & 0x1FFFF);
      bits = 20;
    } else if (dod >= -524287 && dod <= 524288) {
      code = (0b1110L << 20) | (dod & 0xFFFFF);
      bits = 24;
    } else {
      writer.writeFields(0b1111, 4, dod, 64, 64);
      writeValue(valueBits);
      return;
    }
    long x = valueBits ^ vBits;
    vBits = valueBits;
    if (x == 0) {
      writer.writeFields(code << 1, bits + 1, 1);
      return;
    }
    int lz = Long.numberOfLeadingZeros(x);
    if (lz >= 32) {
      lz = 31;
    }
    int tz = Long.numberOfTrailingZeros(x);
    // leading == UNSET (255) never passes the first test, so the first changed value opens a window.
    if (lz >= leading && tz >= trailing) {
      // '10' + the reused window.
      int size = 64 - leading - trailing;
      if (bits + 2 + size <= 64) {
        writer.writeFields((code << 1 << (1 + size)) | (0b10L << size) | (x >>> trailing), bits + 2 + size, size);
      } else {
        writer.writeFields((code << 2) | 0b10, bits + 2, x >>> trailing, size, size);
      }
      return;
    }
    leading = lz;
    trailing = tz;
    int sig = 64 - lz - tz;
    // '11', 5 bits leading zeros, 6 bits significant bits (64 is written as 0), then the window.
    long head = (code << 13) | (0b11L << 11) | ((long) lz << 6) | (sig & 63);
    if (bits + 13 + sig <= 64) {
      writer.writeFields((head << 1 << (sig - 1)) | (x >>> tz), bits + 13 + sig, sig);
    } else {
      writer.writeFields(head, bits + 13, x >>> tz, sig, sig);
    }
  }

  /**
   * Appends samples {@code from} (inclusive) to {@code to} (exclusive) of {@code ts} and {@code vs}, producing the same
   * bytes as {@link #append} called for each of them in order, at a lower cost per sample: the encoder state stays in
   * locals for the whole loop. Calls of both may be mixed.
   *
   * @throws IndexOutOfBoundsException if {@code [from, to)} is not a range of both arrays
   * @throws IllegalStateException if the samples would take the chunk beyond {@value XorChunk#MAX_SAMPLES} samples;
   *     none of them is appended then
   */
  public void appendAll(long[] ts, double[] vs, int from, int to) {
    Objects.checkFromToIndex(from, to, ts.length);
    Objects.checkFromToIndex(from, to, vs.length);
    if (to - from > XorChunk.MAX_SAMPLES - num) {
      throw full();
    }
    for (; from < to && num < 2; from++) {
      appendFirstTwo(ts[from], Double.doubleToRawLongBits(vs[from]));
    }
    // Blocks of samples with buffer room reserved for each block, so the loop needs no room check of its own.
    while (from < to) {
      int end = Math.min(to, from + BLOCK);
      encode(ts, vs, from, end);
      from = end;
    }
  }

  /**
   * Encodes samples {@code from..to-1} ({@code to - from <= BLOCK}) as samples {@code num >= 2} onwards. The dod code
   * and the value code go out in one to three byte-granular writes ({@link BitWriter#putBytewise}: no flush to decide,
   * so where words fill up costs no mispredicted branch); the bits are those of Prometheus' separate writes, and the
   * 2.x spare-byte rule sees the width of the last field Prometheus writes (the value's).
   *
   * <p>One of two loops runs, chosen by the values. Where unchanged and changed values are mixed, as in counters, a
   * branch between the '0' value code and the others would mispredict often, so {@link #encodeMixed} selects '0' or
   * '10' without one; elsewhere that branch predicts well and costs less than the selection ({@link #encodeRuns}).
   * The two loops repeat their set-up, dod and write steps on purpose: each form of sharing tried (the steps as
   * methods, the set-up in the caller, one loop testing which kind it is) measured 0.4 to 1.9 ns a sample slower
   * with JDK 25's compiler ({@code XorChunkBenchmark.encodeBulk}).
   *
   * <p>{@link #appendBits} keeps its own form over the fields: calling this loop for one sample made per-sample appends
   * about 2.5 times slower ({@code XorChunkBenchmark.encode}: 12-16 ns against 5-6 ns a sample).
   */
  private void encode(long[] ts, double[] vs, int from, int to) {
    if (mixesUnchangedValues(vs, from, to, vBits)) {
      encodeMixed(ts, vs, from, to);
    } else {
      encodeRuns(ts, vs, from, to);
    }
  }

  /** The loop of {@link #encode} for runs of unchanged or of changing values. */
  private void encodeRuns(long[] ts, double[] vs, int from, int to) {
    BitWriter w = writer;
    byte[] b = w.buffer((to - from) * MAX_SAMPLE_BYTES + 16);
    int start = w.streamBits();
    // Byte-granular writes from here: the stream bit position from the start of the buffer and the bits of its
    // unfinished byte.
    int pos = HEADER * 8 + start;
    long acc = BitWriter.enterBytewise(b, HEADER, start, w.accumulator());
    long time = t;
    long delta = tDelta;
    long prev = vBits;
    int lead = leading;
    int trail = trailing;
    int size = 0;
    for (int i = from; i < to; i++) {
      long now = ts[i];
      long bits = Double.doubleToRawLongBits(vs[i]);
      long d = now - time;
      long dod = d - delta;
      time = now;
      delta = d;
      long code;
      int n;
      if (dod == 0) {
        // The common case for regular scrape intervals.
        code = 0;
        n = 1;
      } else if (dod >= -8191 && dod <= 8192) {
        code = (0b10L << 14) | (dod & 0x3FFF);
        n = 16;
      } else if (dod >= -65535 && dod <= 65536) {
        code = (0b110L << 17) | (dod & 0x1FFFF);
        n = 20;
      } else if (dod >= -524287 && dod <= 524288) {
        code = (0b1110L << 20) | (dod & 0xFFFFF);
        n = 24;
      } else {
        // '1111' + 64 bits: the prefix and the top 60 bits now, the low 4 bits with the value code.
        acc = BitWriter.putBytewise(b, pos, acc, (0b1111L << 28) | (dod >>> 36), 32);
        pos += 32;
        acc = BitWriter.putBytewise(b, pos, acc, (dod >>> 4) & 0xFFFF_FFFFL, 32);
        pos += 32;
        code = dod & 0xF;
        n = 4;
      }
      long x = bits ^ prev;
      prev = bits;
      // The value code: a head appended to the dod code, then size bits of window.
      long window;
      if (x == 0) {
        code <<= 1;
        n++;
        window = 0;
        size = 0;
      } else {
        int lz = Math.min(Long.numberOfLeadingZeros(x), 31);
        int tz = Long.numberOfTrailingZeros(x);
        // lead == UNSET (255) never passes the first test, so the first changed value opens a window.
        if (lz >= lead && tz >= trail) {
          // '10' + the reused window.
          code = (code << 2) | 0b10;
          n += 2;
        } else {
          // '11', 5 bits leading zeros, 6 bits significant bits (64 is written as 0), then the window.
          lead = lz;
          trail = tz;
          code = (code << 13) | (0b11L << 11) | ((long) lz << 6) | ((64 - lz - tz) & 63);
          n += 13;
        }
        size = 64 - lead - trail;
        window = x >>> trail;
      }
      int last = size;
      if (n + last > BitWriter.MAX_BYTEWISE_BITS) {
        // A wide window after a long head: the head first, and a window wider than one write in two parts.
        acc = BitWriter.putBytewise(b, pos, acc, code, n);
        pos += n;
        code = 0;
        n = 0;
        if (last > BitWriter.MAX_BYTEWISE_BITS) {
          acc = BitWriter.putBytewise(b, pos, acc, window >>> 32, last - 32);
          pos += last - 32;
          window &= 0xFFFF_FFFFL;
          last = 32;
        }
      }
      acc = BitWriter.putBytewise(b, pos, acc, (code << last) | window, n + last);
      pos += n + last;
    }
    int end = pos - HEADER * 8;
    w.restore(b, end, BitWriter.leaveBytewise(b, HEADER, end), size == 0 ? 1 : size);
    t = time;
    tDelta = delta;
    vBits = prev;
    leading = lead;
    trailing = trail;
    num += to - from;
  }
  /** The loop of {@link #encode} for mixed values: '0' and '10' on one path; otherwise as {@link #encodeRuns}. */
  private void encodeMixed(long[] ts, double[] vs, int from, int to) {
    BitWriter w = writer;
    byte[] b = w.buffer((to - from) * MAX_SAMPLE_BYTES + 16);
    int start = w.streamBits();
    // Byte-granular writes from here: the stream bit position from the start of the buffer and the bits of its
    // unfinished byte.
    int pos = HEADER * 8 + start;
    long acc = BitWriter.enterBytewise(b, HEADER, start, w.accumulator());
    long time = t;
    long delta = tDelta;
    long prev = vBits;
    int lead = leading == UNSET ? NO_WINDOW : leading;
    int trail = trailing;
    int size = 0;
    for (int i = from; i < to; i++) {
      long now = ts[i];
      long bits = Double.doubleToRawLongBits(vs[i]);
      long d = now - time;
      long dod = d - delta;
      time = now;
      delta = d;
      long code;
      int n;
      if (dod == 0) {
        // The common case for regular scrape intervals.
        code = 0;
        n = 1;
      } else if (dod >= -8191 && dod <= 8192) {
        code = (0b10L << 14) | (dod & 0x3FFF);
        n = 16;
      } else if (dod >= -65535 && dod <= 65536) {
        code = (0b110L << 17) | (dod & 0x1FFFF);
        n = 20;
      } else if (dod >= -524287 && dod <= 524288) {
        code = (0b1110L << 20) | (dod & 0xFFFFF);
        n = 24;
      } else {
        // '1111' + 64 bits: the prefix and the top 60 bits now, the low 4 bits with the value code.
        acc = BitWriter.putBytewise(b, pos, acc, (0b1111L << 28) | (dod >>> 36), 32);
        pos += 32;
        acc = BitWriter.putBytewise(b, pos, acc, (dod >>> 4) & 0xFFFF_FFFFL, 32);
        pos += 32;
        code = dod & 0xF;
        n = 4;
      }
      long x = bits ^ prev;
      prev = bits;
      // For x == 0 both counts are 64, which passes the window test: lead is NO_WINDOW (64) until the first changed
      // value opens a window, so a '0' before that passes too and the first change does not.
      int nlz = Long.numberOfLeadingZeros(x);
      int tz = Long.numberOfTrailingZeros(x);
      if ((nlz >= lead) & (tz >= trail)) {
        // '0' or '10' + the reused window, selected without a branch.
        int changed = (tz - 64) >>> 31;
        code = (code << (1 + changed)) | ((long) changed << 1);
        n += 1 + changed;
        size = (64 - lead - trail) & -changed;
      } else {
        // '11', 5 bits leading zeros (at most 31), 6 bits significant bits (64 is written as 0), then the window.
        lead = Math.min(nlz, 31);
        trail = tz;
        size = 64 - lead - trail;
        code = (code << 13) | (0b11L << 11) | ((long) lead << 6) | (size & 63);
        n += 13;
      }
      long window = x >>> trail;
      int last = size;
      if (n + last > BitWriter.MAX_BYTEWISE_BITS) {
        // A wide window after a long head: the head first, and a window wider than one write in two parts.
        acc = BitWriter.putBytewise(b, pos, acc, code, n);
        pos += n;
        code = 0;
        n = 0;
        if (last > BitWriter.MAX_BYTEWISE_BITS) {
          acc = BitWriter.putBytewise(b, pos, acc, window >>> 32, last - 32);
          pos += last - 32;
          window &= 0xFFFF_FFFFL;
          last = 32;
        }
      }
      acc = BitWriter.putBytewise(b, pos, acc, (code << last) | window, n + last);
      pos += n + last;
    }
    int end = pos - HEADER * 8;
    w.restore(b, end, BitWriter.leaveBytewise(b, HEADER, end), size == 0 ? 1 : size);
    t = time;
    tDelta = delta;
    vBits = prev;
    leading = lead == NO_WINDOW ? UNSET : lead;
    trailing = trail;
    num += to - from;
  }

  /** Whether more than 1/8 and less than 7/8 of the values of {@code vs[from..to-1]} repeat their predecessor's bits. */
  private static boolean mixesUnchangedValues(double[] vs, int from, int to, long previousBits) {
    int unchanged = 0;
    long prev = previousBits;
    for (int i = from; i < to; i++) {
      long bits = Double.doubleToRawLongBits(vs[i]);
      unchanged += bits == prev ? 1 : 0;
      prev = bits;
    }
    int n = to - from;
    return unchanged * 8 > n && unchanged * 8 < n * 7;
  }

  private void appendFirstTwo(long t, long valueBits) {
    int n = num;
    if (n == XorChunk.MAX_SAMPLES) {
      throw full();
    }
    if (n == 0) {
      writer.writeVarint(t);
      writer.writeBits(valueBits, 64);
      firstT = t;
      vBits = valueBits;
    } else {
      long delta = t - this.t;
      writer.writeUvarint(delta);
      tDelta = delta;
      writeValue(valueBits);
    }
    this.t = t;
    num = n + 1;
  }

  private static IllegalStateException full() {
    return new IllegalStateException("XOR chunk is full: " + XorChunk.MAX_SAMPLES + " samples");
  }

  private void writeValue(long bits) {
    long delta = bits ^ vBits;
    vBits = bits;
    BitWriter w = writer;
    if (delta == 0) {
      w.writeBits(0, 1);
      return;
    }
    int lz = Long.numberOfLeadingZeros(delta);
    if (lz >= 32) {
      lz = 31;
    }
    int tz = Long.numberOfTrailingZeros(delta);
    if (lz >= leading && tz >= trailing) {
      w.writePrefixed(0b10, 2, delta >>> trailing, 64 - leading - trailing);
      return;
    }
    leading = lz;
    trailing = tz;
    int sig = 64 - lz - tz;
    w.writeBits((0b11L << 11) | ((long) lz << 6) | (sig & 63), 13);
    w.writeBits(delta >>> tz, sig);
  }

  /** Number of samples appended. */
  public int numSamples() {
    return num;
  }

  /** Timestamp of the first sample. */
  public long minTimeMillis() {
    checkNotEmpty();
    return firstT;
  }

  /** Timestamp of the last sample. */
  public long maxTimeMillis() {
    checkNotEmpty();
    return t;
  }

  private void checkNotEmpty() {
    if (num == 0) {
      throw new IllegalStateException("no samples appended");
    }
  }

  /** Length of {@link #bytes()}. */
  public int byteLength() {
    return writer.byteLength();
  }

  /** A new array with the chunk data: sample count and bit stream. */
  public byte[] bytes() {
    writer.setHeaderByte(0, num >>> 8);
    writer.setHeaderByte(1, num);
    return writer.toByteArray();
  }

  /** Copies the chunk data ({@link #byteLength()} bytes) into {@code dst} at {@code offset}. */
  public void copyTo(byte[] dst, int offset) {
    writer.setHeaderByte(0, num >>> 8);
    writer.setHeaderByte(1, num);
    writer.copyTo(dst, offset);
  }

  /** The chunk so far, over a copy of its bytes. */
  public XorChunk toChunk() {
    return new XorChunk(ByteBuffer.wrap(bytes()));
  }

  /** Empties the chunk for reuse, keeping the buffer. */
  public void reset() {
    writer.reset();
    num = 0;
    firstT = 0;
    t = 0;
    tDelta = 0;
    vBits = 0;
    leading = UNSET;
    trailing = 0;
  }
}
