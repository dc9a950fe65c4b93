package dev.orrery.core.index;

import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.io.DecodeBuffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The symbol table of an index ({@code FORMATS.md} 4.2) over its CRC-checked bytes: ordinal lookups keep every 32nd
 * entry's position ({@code symbolFactor = 32}, as Prometheus does) and scan at most 31 entries from there, so memory is
 * one {@code int} per 32 symbols. Immutable after {@link #open}; thread-safe.
 */
final class Symbols {
  static final int FACTOR = 32;
  /** Slots of the decoded-symbol cache (direct-mapped by ordinal): series read in label order repeat most values. */
  static final int CACHE_SLOTS = 1024;

  private final ByteBuffer table;
  private final String resource;
  private final long baseOffset;
  private final int count;
  private final int[] samples;
  // Decoded symbols by ordinal mod CACHE_SLOTS, allocated on first lookup. Entries are immutable, so racing readers
  // see either a whole entry or none.
  private volatile Entry[] cache;

  private record Entry(int ord, String symbol) {}

  private Symbols(ByteBuffer table, String resource, long baseOffset, int count, int[] samples) {
    this.table = table;
    this.resource = resource;
    this.baseOffset = baseOffset;
    this.count = count;
    this.samples = samples;
  }

  /** The empty table, for a TOC without a symbol table. */
  static Symbols empty(String resource) {
    return new Symbols(ByteBuffer.allocate(4), resource, 0, 0, new int[0]);
  }

  /**
   * Walks every entry of {@code body} (count and entries, CRC already checked) once, checking that each lies inside
   * the section, and remembers every 32nd position.
   *
   * @param baseOffset file offset of {@code body[0]}
   */
  static Symbols open(ByteBuffer body, String resource, long baseOffset) throws CorruptBlockException {
    try {
      DecodeBuffer d = new DecodeBuffer(body, resource, baseOffset);
      int count = d.be32();
      // Each entry takes at least one byte, which bounds a corrupt count before anything is allocated.
      if (count < 0 || count > d.remaining()) {
        throw d.corrupt(0, "symbol count " + Integer.toUnsignedString(count) + " exceeds the table's "
            + d.remaining() + " bytes");
      }
      int[] samples = new int[(count + FACTOR - 1) / FACTOR];
      for (int i = 0; i < count; i++) {
        if (i % FACTOR == 0) {
          samples[i / FACTOR] = d.position();
        }
        d.skipUvarintBytes();
      }
      if (d.remaining() != 0) {
        throw d.corrupt(d.position(), d.remaining() + " bytes after the last of " + count + " symbols");
      }
      return new Symbols(body, resource, baseOffset, count, samples);
    } catch (CorruptDataException e) {
      throw Corruption.checked(e);
    }
  }

  int count() {
    return count;
  }

  /** The symbol with ordinal {@code ord}, {@code 0 <= ord < count()}. */
  String lookup(int ord) {
    Entry[] c = cache;
    if (c == null) {
      c = new Entry[CACHE_SLOTS];
      cache = c;
    }
    int slot = ord & (CACHE_SLOTS - 1);
    Entry e = c[slot];
    if (e != null && e.ord == ord) {
      return e.symbol;
    }
    String symbol = decode(ord);
    c[slot] = new Entry(ord, symbol);
    return symbol;
  }

  private String decode(int ord) {
    DecodeBuffer d = new DecodeBuffer(table, resource, baseOffset);
    d.position(samples[ord / FACTOR]);
    for (int i = ord % FACTOR; i > 0; i--) {
      d.skipUvarintBytes();
    }
    return d.uvarintString();
  }

  /** The ordinal of {@code s}, or {@code -1}; a binary search over the sampled entries, then a short scan. */
  int ordinalOf(String s) {
    byte[] key = s.getBytes(StandardCharsets.UTF_8);
    int lo = 0;
    int hi = samples.length - 1;
    int block = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = compareEntry(samples[mid], key);
      if (c == 0) {
        return mid * FACTOR;
      }
      if (c < 0) {
        block = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (block < 0) {
      return -1;
    }
    int pos = samples[block];
    int end = Math.min(count, (block + 1) * FACTOR);
    DecodeBuffer d = new DecodeBuffer(table, resource, baseOffset);
    for (int ord = block * FACTOR; ord < end; ord++) {
      d.position(pos);
      int c = compareEntry(pos, key);
      if (c == 0) {
        return ord;
      }
      if (c > 0) {
        return -1;
      }
      d.skipUvarintBytes();
      pos = d.position();
    }
    return -1;
  }

  /** Compares the uvarint-prefixed string at {@code pos} with {@code key}, unsigned byte-wise. */
  int compareEntry(int pos, byte[] key) {
    DecodeBuffer d = new DecodeBuffer(table, resource, baseOffset);
    d.position(pos);
    int len = d.uvarintInt();
    return compareBytes(table, d.position(), len, key);
  }

  /** Unsigned byte-wise comparison of {@code buf[at, at + len)} with {@code key}: Go's string order. */
  static int compareBytes(ByteBuffer buf, int at, int len, byte[] key) {
    int n = Math.min(len, key.length);
    for (int i = 0; i < n; i++) {
      int c = (buf.get(at + i) & 0xFF) - (key[i] & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    return len - key.length;
  }

  /** Unsigned byte-wise comparison of two regions of {@code buf}. */
  static int compareRegions(ByteBuffer buf, int a, int aLen, int b, int bLen) {
    int n = Math.min(aLen, bLen);
    for (int i = 0; i < n; i++) {
      int c = (buf.get(a + i) & 0xFF) - (buf.get(b + i) & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    return aLen - bLen;
  }

  /** For verify: every symbol strictly after the previous one in byte order. */
  void checkSorted() throws CorruptBlockException {
    DecodeBuffer d = new DecodeBuffer(table, resource, baseOffset);
    d.position(4);
    int prevAt = -1;
    int prevLen = 0;
    for (int i = 0; i < count; i++) {
      int len = d.uvarintInt();
      int at = d.position();
      if (prevAt >= 0) {
        if (compareRegions(table, prevAt, prevLen, at, len) >= 0) {
          throw new CorruptBlockException(resource, baseOffset + at,
              "symbol " + i + " is not after symbol " + (i - 1) + " in UTF-8 byte order");
        }
      }
      d.skip(len);
      prevAt = at;
      prevLen = len;
    }
  }
}
