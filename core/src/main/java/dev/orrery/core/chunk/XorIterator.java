package dev.orrery.core.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decodes an {@link XorChunk} (FORMATS.md 2.3).
 *
 * <p>Samples are decoded in batches of up to {@value #BATCH} into a primitive array, in one loop that keeps the decoder
 * state in locals, so {@link #next()} is an index increment and {@link #appendFloats} copies runs. The first batch is
 * decoded when the iterator is reset. Within the loop one 64-bit load covers a sample's timestamp code and the start of
 * its value code, the branches follow what repeats (the dod bucket, window reuse, the window size) so that they predict
 * well, and a truncated stream is detected once per sample. Corruption found in a batch is held back until the iterator
 * reaches the sample that failed: the samples before it are returned first, as with a lazy decoder.
 *
 * <p>Confined to one thread.
 */
final class XorIterator implements FloatSampleIterator {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  static final int BATCH = 128;
  /**
   * Stream bits known to be in the value code word after a dod code of at most 16 bits: a 64-bit load at a bit
   * position holds at least 57.
   */
  private static final int SHORT_VALID_BITS = 57 - 16;

  private final BitReader reader = new BitReader();
  /** Timestamps at {@code [i]} and raw value bits at {@code [BATCH + i]}: one array keeps a register free in the loop. */
  private final long[] batch = new long[2 * BATCH];
  /** Samples in the arrays, and the current one ({@code -1} before the first). */
  private int batchSize;
  private int index = -1;
  /** Thrown when the iterator moves past the last good sample of the batch. */
  private CorruptChunkException pending;
  private boolean exhausted;

  // Decoder state between batches.
  private int numTotal;
  private int numRead;
  private long t;
  private long tDelta;
  private long vBits;
  private int leading;
  private int trailing;

  void reset(XorChunk chunk) {
    chunk.resetReader(reader, XorChunk.HEADER_BYTES);
    numTotal = chunk.numSamples();
    numRead = 0;
    batchSize = 0;
    index = -1;
    pending = null;
    exhausted = numTotal == 0;
    t = 0;
    tDelta = 0;
    vBits = 0;
    leading = 0;
    trailing = 0;
    if (!exhausted) {
      // The first batch now: a chunk of up to BATCH samples (Prometheus cuts at about 120) then never reaches the
      // nextBatch() call in next(), so a caller's loop over next() has no call in it once compiled, and keeps its
      // variables in registers rather than spilling them around the call on every sample.
      decodeBatch();
    }
  }

  @Override
  public ValueType next() {
    int i = index + 1;
    if (i < batchSize) {
      index = i;
      return ValueType.FLOAT;
    }
    if (pending == null && numRead == numTotal) {
      // The end of the chunk, without a call.
      exhausted = true;
      return ValueType.NONE;
    }
    return nextBatch();
  }

  private ValueType nextBatch() {
    if (exhausted) {
      return ValueType.NONE;
    }
    if (pending != null) {
      exhausted = true;
      throw pending;
    }
    if (numRead == numTotal) {
      exhausted = true;
      return ValueType.NONE;
    }
    decodeBatch();
    index = 0;
    if (batchSize == 0) {
      exhausted = true;
      throw pending;
    }
    return ValueType.FLOAT;
  }

  private void decodeBatch() {
    BitReader r = reader;
    long[] out = batch;
    int count = Math.min(BATCH, numTotal - numRead);
    int k = 0;
    if (numRead == 0) {
      k = decodeFirstTwo(r, count);
      if (pending != null) {
        batchSize = k;
        return;
      }
    }
    byte[] b = r.buf;
    int limit = r.limit;
    int p = r.pos;
    long time = t;
    long delta = tDelta;
    long bits = vBits;
    // The window as (size, trailing zeros): both are what the loop needs, and leading = 64 - size - trailing.
    int size = 64 - leading - trailing;
    int trail = trailing;
    for (; k < count; k++) {
      // One load covers the timestamp code and, for a short one, the start of the value code: v holds the value code
      // left-aligned with at least SHORT_VALID_BITS stream bits.
      long w = (long) LONG_BE.get(b, p >>> 3) << (p & 7);
      long v;
      int q;
      if (w >= 0) {
        // dod == 0: the common case for regular scrape intervals, one bit.
        v = w << 1;
        q = p + 1;
      } else if ((w << 1) >= 0) {
        // '10' + 14 bits: scrape jitter.
        long u = (w << 2) >>> 50;
        delta += u > 8192 ? u - 16384 : u;
        v = w << 16;
        q = p + 16;
      } else {
        long dod;
        int n;
        switch (Long.numberOfLeadingZeros(~w)) {
          case 2 -> {
            long u = (w << 3) >>> 47;
            dod = u > 65536 ? u - 131072 : u;
            n = 20;
          }
          case 3 -> {
            long u = (w << 4) >>> 44;
            dod = u > 524288 ? u - 1048576 : u;
            n = 24;
          }
          default -> {
            dod = readWide(b, p + 4, 64);
            n = 68;
          }
        }
        delta += dod;
        q = p + n;
        v = (long) LONG_BE.get(b, q >>> 3) << (q & 7);
      }
      time += delta;

      if (v < 0) {
        int head;
        if ((v << 1) >= 0) {
          // '10': reuse the window.
          head = 2;
        } else {
          // '11': a new window: 5 bits leading zeros, 6 bits significant bits (0 means 64).
          int newLead = (int) (v >>> 57) & 31;
          int sig = (((int) (v >>> 51) - 1) & 63) + 1;
          int newTrail = 64 - newLead - sig;
          if (newTrail < 0) {
            pending = r.corrupt(q, "corrupt XOR value in chunk", "window of " + newLead + " leading zeros and " + sig
                + " significant bits exceeds 64 bits at sample " + (numRead + k) + " of " + numTotal);
            break;
          }
          size = sig;
          trail = newTrail;
          head = 13;
        }
        // x >>> -size keeps the top size bits (Java shifts are mod 64, so size 64 shifts by 0). Which case applies
        // depends on the window size, which stays the same while it is reused, so these branches predict well.
        int at = q + head;
        long m;
        if (head + size <= SHORT_VALID_BITS) {
          m = (v << head) >>> -size;
        } else if (size <= 57) {
          m = ((long) LONG_BE.get(b, at >>> 3) << (at & 7)) >>> -size;
        } else {
          m = window(b, at) >>> -size;
        }
        bits ^= m << trail;
        q += head + size;
      } else {
        q++;
      }
      if (q > limit) {
        pending = r.truncated(numRead + k, numTotal);
        break;
      }
      p = q;
      out[k] = time;
      out[BATCH + k] = bits;
    }
    r.pos = p;
    t = time;
    tDelta = delta;
    vBits = bits;
    leading = 64 - size - trail;
    trailing = trail;
    numRead += k;
    batchSize = k;
  }

  /** Decodes samples 0 and 1 (byte-aligned varints) into the arrays; returns how many it decoded. */
  private int decodeFirstTwo(BitReader r, int count) {
    int decoded = 0;
    try {
      t = r.readVarint();
      vBits = r.readBits(64);
      if (r.overrun()) {
        pending = r.truncated(0, numTotal);
        return decoded;
      }
      batch[0] = t;
      batch[BATCH] = vBits;
      decoded = 1;
      if (count == 1) {
        return decoded;
      }
      tDelta = r.readUvarint();
      t += tDelta;
      // The reader's window starts at 0/0 (a '10' before any '11' reuses a 64-bit window).
      int[] window = {0, 0};
      vBits = r.readXorValue(vBits, window, 0);
      leading = window[0];
      trailing = window[1];
      if (r.overrun()) {
        pending = r.truncated(1, numTotal);
        return decoded;
      }
      batch[1] = t;
      batch[BATCH + 1] = vBits;
      return 2;
    } catch (CorruptChunkException e) {
      pending = e;
      return decoded;
    }
  }

  /** The 64 bits at bit {@code p}, left-aligned: two loads and no branch. */
  private static long window(byte[] b, int p) {
    int i = p >>> 3;
    int s = p & 7;
    return ((long) LONG_BE.get(b, i) << s) | ((long) LONG_BE.get(b, i + 8) >>> 1 >>> (63 - s));
  }

  /** Reads {@code n} bits, {@code 32 < n <= 64}, at bit {@code p}. */
  private static long readWide(byte[] b, int p, int n) {
    long hi = ((long) LONG_BE.get(b, p >>> 3) << (p & 7)) >>> 32;
    int q = p + 32;
    long lo = ((long) LONG_BE.get(b, q >>> 3) << (q & 7)) >>> (96 - n);
    return (hi << (n - 32)) | lo;
  }


  @Override
  public ValueType appendFloats(FloatSamples out, long maxT) {
    while (true) {
      int from = index + 1;
      if (from >= batchSize) {
        if (nextBatch() == ValueType.NONE) {
          return ValueType.NONE;
        }
        from = 0;
      }
      long[] src = batch;
      int end = from;
      while (end < batchSize && src[end] <= maxT) {
        end++;
      }
      int n = end - from;
      if (n > 0) {
        out.ensureRoom(n);
        int at = out.count;
        System.arraycopy(src, from, out.ts, at, n);
        double[] vs = out.values;
        for (int k = 0; k < n; k++) {
          vs[at + k] = Double.longBitsToDouble(src[BATCH + from + k]);
        }
        out.count = at + n;
      }
      if (end < batchSize) {
        index = end;
        return ValueType.FLOAT;
      }
      index = batchSize - 1;
    }
  }

  @Override
  public ValueType seek(long target) {
    if (exhausted) {
      return ValueType.NONE;
    }
    if (index >= 0 && index < batchSize && batch[index] >= target) {
      return ValueType.FLOAT;
    }
    while (next() != ValueType.NONE) {
      if (batch[index] >= target) {
        return ValueType.FLOAT;
      }
    }
    return ValueType.NONE;
  }

  @Override
  public long atT() {
    return batch[index];
  }

  @Override
  public double atV() {
    return Double.longBitsToDouble(batch[BATCH + index]);
  }

  /** Raw IEEE-754 bits of the current value. */
  long atVBits() {
    return batch[BATCH + index];
  }

  /** Window state after the samples decoded so far (for {@link XorAppender#resume}). */
  int leading() {
    return leading;
  }

  int trailing() {
    return trailing;
  }
}
