package dev.orrery.core.index;

import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.io.DecodeBuffer;
import dev.orrery.core.labels.Utf8Order;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The postings offset table of an index ({@code FORMATS.md} 4.6) kept in memory the way Prometheus keeps it: every
 * label name, and for each name only every 32nd value with its entry's position in the table. A lookup bisects the
 * sampled values and scans at most 32 entries of the CRC-checked table bytes. Immutable after {@link #open};
 * thread-safe.
 */
final class PostingsOffsetTable {
  static final int FACTOR = 32;

  /** Receives the values of one label name in order, with their postings list offsets. */
  interface ValueVisitor {
    void accept(String value, long postingsOffset);
  }

  /** One label name's values: every 32nd value and its entry position, plus the total count. */
  private record NameValues(String[] samples, int[] positions, int count) {}

  private final ByteBuffer table;
  private final String resource;
  private final long baseOffset;
  private final String[] names;
  private final NameValues[] values;
  private final long allPostingsOffset;
  private final int entries;

  private PostingsOffsetTable(ByteBuffer table, String resource, long baseOffset, String[] names,
      NameValues[] values, long allPostingsOffset, int entries) {
    this.table = table;
    this.resource = resource;
    this.baseOffset = baseOffset;
    this.names = names;
    this.values = values;
    this.allPostingsOffset = allPostingsOffset;
    this.entries = entries;
  }

  static PostingsOffsetTable empty(String resource) {
    return new PostingsOffsetTable(ByteBuffer.allocate(4), resource, 0, new String[0], new NameValues[0], -1, 0);
  }

  /**
   * Walks every entry of {@code body} (count and entries, CRC already checked) once: checks the key count, that names
   * are sorted and that every postings offset lies in {@code [listsStart, listsEnd - 12]} (a list is at least 12
   * bytes), and samples the values.
   *
   * @param baseOffset file offset of {@code body[0]}
   */
  static PostingsOffsetTable open(ByteBuffer body, String resource, long baseOffset, long listsStart, long listsEnd)
      throws CorruptBlockException {
    try {
      DecodeBuffer d = new DecodeBuffer(body, resource, baseOffset);
      int count = d.be32();
      // An entry takes at least 4 bytes (key count, two lengths, offset): bounds a corrupt count.
      if (count < 0 || count > d.remaining() / 4) {
        throw d.corrupt(0, "postings offset table count " + Integer.toUnsignedString(count) + " exceeds its "
            + d.remaining() + " bytes");
      }
      String[] names = new String[16];
      NameValues[] values = new NameValues[16];
      int nNames = 0;
      long allOffset = -1;
      int nameAt = -1;
      int nameLen = 0;
      String name = null;
      String[] samples = new String[4];
      int[] positions = new int[4];
      int k = 0;
      for (int i = 0; i < count; i++) {
        int entryPos = d.position();
        long keys = d.uvarint();
        if (keys != 2) {
          throw d.corrupt(entryPos, "postings offset table entry " + i + " has " + Long.toUnsignedString(keys)
              + " key parts, expected 2");
        }
        int nLen = d.uvarintInt();
        int nAt = d.position();
        d.skip(nLen);
        int vLen = d.uvarintInt();
        int vAt = d.position();
        d.skip(vLen);
        int offPos = d.position();
        long off = d.uvarint();
        if (off < listsStart || off > listsEnd - 12) {
          throw d.corrupt(offPos, "postings offset " + Long.toUnsignedString(off) + " of entry " + i
              + " outside the postings area [" + listsStart + ", " + listsEnd + ")");
        }
        int cmp = nameAt < 0 ? 1 : Symbols.compareRegions(body, nAt, nLen, nameAt, nameLen);
        if (cmp < 0) {
          throw d.corrupt(entryPos, "postings offset table entry " + i + " is out of order (label names must be "
              + "sorted)");
        }
        if (cmp > 0) {
          if (name != null && !name.isEmpty()) {
            if (nNames == names.length) {
              names = Arrays.copyOf(names, nNames * 2);
              values = Arrays.copyOf(values, nNames * 2);
            }
            names[nNames] = name;
            values[nNames++] = new NameValues(Arrays.copyOf(samples, (k + FACTOR - 1) / FACTOR),
                Arrays.copyOf(positions, (k + FACTOR - 1) / FACTOR), k);
          }
          name = decode(body, nAt, nLen);
          nameAt = nAt;
          nameLen = nLen;
          k = 0;
        }
        if (name.isEmpty()) {
          // The all-postings key ("", ""): 4.4. Nothing else is stored under the empty name.
          if (vLen == 0 && allOffset < 0) {
            allOffset = off;
          }
          continue;
        }
        if (k % FACTOR == 0) {
          int s = k / FACTOR;
          if (s == samples.length) {
            samples = Arrays.copyOf(samples, s * 2);
            positions = Arrays.copyOf(positions, s * 2);
          }
          samples[s] = decode(body, vAt, vLen);
          positions[s] = entryPos;
        }
        k++;
      }
      if (name != null && !name.isEmpty()) {
        if (nNames == names.length) {
          names = Arrays.copyOf(names, nNames + 1);
          values = Arrays.copyOf(values, nNames + 1);
        }
        names[nNames] = name;
        values[nNames++] = new NameValues(Arrays.copyOf(samples, (k + FACTOR - 1) / FACTOR),
            Arrays.copyOf(positions, (k + FACTOR - 1) / FACTOR), k);
      }
      if (d.remaining() != 0) {
        throw d.corrupt(d.position(), d.remaining() + " bytes after the last of " + count + " entries");
      }
      return new PostingsOffsetTable(body, resource, baseOffset, Arrays.copyOf(names, nNames),
          Arrays.copyOf(values, nNames), allOffset, count);
    } catch (CorruptDataException e) {
      throw Corruption.checked(e);
    }
  }

  private static String decode(ByteBuffer buf, int at, int len) {
    byte[] b = new byte[len];
    buf.get(at, b, 0, len);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Number of entries, including the all-postings entry. */
  int entries() {
    return entries;
  }

  /** Label names in byte order, without the empty all-postings name. Shared: do not modify. */
  String[] names() {
    return names;
  }

  /** Offset of the all-postings list, or {@code -1} when the table has no {@code ("", "")} entry. */
  long allPostingsOffset() {
    return allPostingsOffset;
  }

  private int indexOf(String name) {
    int lo = 0;
    int hi = names.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Utf8Order.compare(names[mid], name);
      if (c == 0) {
        return mid;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  /** Number of values of {@code name}; 0 when the name is unknown. */
  int valueCount(String name) {
    int i = indexOf(name);
    return i < 0 ? 0 : values[i].count;
  }

  /** Offset of the postings list of {@code name=value}, or {@code -1}. */
  long offsetOf(String name, String value) {
    if (name.isEmpty()) {
      return value.isEmpty() ? allPostingsOffset : -1;
    }
    int ni = indexOf(name);
    if (ni < 0) {
      return -1;
    }
    NameValues nv = values[ni];
    // The last sample <= value.
    int lo = 0;
    int hi = nv.samples.length - 1;
    int block = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Utf8Order.compare(nv.samples[mid], value);
      if (c <= 0) {
        block = mid;
        if (c == 0) {
          break;
        }
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (block < 0) {
      return -1;
    }
    byte[] key = value.getBytes(StandardCharsets.UTF_8);
    DecodeBuffer d = new DecodeBuffer(table, resource, baseOffset);
    d.position(nv.positions[block]);
    int end = Math.min(nv.count, (block + 1) * FACTOR);
    for (int k = block * FACTOR; k < end; k++) {
      d.uvarint();
      d.skipUvarintBytes();
      int vLen = d.uvarintInt();
      int c = Symbols.compareBytes(table, d.position(), vLen, key);
      d.skip(vLen);
      long off = d.uvarint();
      if (c == 0) {
        return off;
      }
      if (c > 0) {
        return -1;
      }
    }
    return -1;
  }

  /** Calls {@code visitor} for every value of {@code name} in ascending order; nothing for an unknown name. */
  void forEachValue(String name, ValueVisitor visitor) {
    int ni = name.isEmpty() ? -1 : indexOf(name);
    if (ni < 0) {
      return;
    }
    NameValues nv = values[ni];
    DecodeBuffer d = new DecodeBuffer(table, resource, baseOffset);
    d.position(nv.positions[0]);
    for (int k = 0; k < nv.count; k++) {
      d.uvarint();
      d.skipUvarintBytes();
      String v = d.uvarintString();
      visitor.accept(v, d.uvarint());
    }
  }

  /**
   * For verify: every entry in order, with name and value decoded; checks that values ascend within a name.
   */
  void forEachEntry(EntryVisitor visitor) throws CorruptBlockException {
    DecodeBuffer d = new DecodeBuffer(table, resource, baseOffset);
    d.position(4);
    String prevName = null;
    String prevValue = null;
    for (int i = 0; i < entries; i++) {
      int at = d.position();
      d.uvarint();
      String n = d.uvarintString();
      String v = d.uvarintString();
      long off = d.uvarint();
      if (prevName != null && prevName.equals(n) && Utf8Order.compare(prevValue, v) >= 0) {
        throw new CorruptBlockException(resource, baseOffset + at, "postings offset table entry " + i + " ("
            + n + "=\"" + v + "\") is not after the previous value \"" + prevValue + "\"");
      }
      visitor.accept(n, v, off);
      prevName = n;
      prevValue = v;
    }
  }

  /** Receives one postings offset table entry. */
  interface EntryVisitor {
    void accept(String name, String value, long postingsOffset) throws CorruptBlockException;
  }
}
