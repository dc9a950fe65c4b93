package dev.orrery.core.index;

import dev.orrery.core.io.ByteArraySource;
import dev.orrery.core.io.ByteSource;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.io.Crc32c;
import dev.orrery.core.io.DecodeBuffer;
import dev.orrery.core.io.EncodeBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The deleted time ranges of a block's series: the {@code tombstones} file ({@code FORMATS.md} section 5).
 *
 * <pre>
 * magic   BE32 = 0x0130BA30
 * version 1 byte = 1
 * entries { seriesRef uvarint64, minTime varint64, maxTime varint64 } ... (both times inclusive)
 * crc     BE32 = CRC32C over the entries only
 * </pre>
 *
 * <p>Reading merges the entries of each series into {@link Intervals} (overlapping or touching ranges become one); a
 * missing file means no tombstones. {@link #encode()} writes series in ascending reference order and each series'
 * intervals together and ascending, so an empty set encodes to the 9 bytes {@code 01 30 BA 30 01 00 00 00 00}.
 * Immutable and thread-safe; lookups are a binary search over a sorted {@code long[]}.
 */
public final class Tombstones {
  /** First four bytes of the file. */
  public static final int MAGIC = 0x0130BA30;
  /** The only format version. */
  public static final int FORMAT_V1 = 1;
  /** File name inside a block directory. */
  public static final String FILE_NAME = "tombstones";

  private static final Tombstones EMPTY = new Tombstones(new long[0], new Intervals[0]);
  private static final int HEADER_BYTES = 5;

  private final long[] refs;
  private final Intervals[] intervals;

  private Tombstones(long[] refs, Intervals[] intervals) {
    this.refs = refs;
    this.intervals = intervals;
  }

  /** No deleted ranges. */
  public static Tombstones empty() {
    return EMPTY;
  }

  /** A builder that merges intervals per series. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a tombstones file; a missing file is {@link #empty()}.
   *
   * @throws CorruptBlockException if the magic, version, CRC or an entry is bad
   */
  public static Tombstones read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return EMPTY;
    }
    return read(new ByteArraySource(file.toString(), bytes));
  }

  /**
   * Reads tombstones from {@code source} (not closed here).
   *
   * @throws CorruptBlockException if the magic, version, CRC or an entry is bad
   */
  public static Tombstones read(ByteSource source) throws IOException {
    String name = source.name();
    long size = source.size();
    if (size < HEADER_BYTES + 4) {
      throw new CorruptBlockException(name, 0, "tombstones file of " + size + " bytes is shorter than header and CRC "
          + "(9 bytes)");
    }
    if (size > Integer.MAX_VALUE) {
      throw new CorruptBlockException(name, 0, "tombstones file of " + size + " bytes is too large");
    }
    ByteBuffer b = source.read(0, (int) size);
    int magic = b.getInt(0);
    if (magic != MAGIC) {
      throw new CorruptBlockException(name, 0, String.format("bad tombstones magic (expected %08x, actual %08x)",
          MAGIC, magic));
    }
    int version = b.get(4) & 0xFF;
    if (version != FORMAT_V1) {
      throw new CorruptBlockException(name, 4, "unsupported tombstones format version " + version + " (expected 1)");
    }
    int entriesLen = (int) size - HEADER_BYTES - 4;
    int want = b.getInt(HEADER_BYTES + entriesLen);
    int got = Crc32c.of(b, HEADER_BYTES, entriesLen);
    if (want != got) {
      throw new CorruptBlockException(name, HEADER_BYTES + entriesLen, String.format(
          "tombstones CRC32C mismatch (expected %08x, actual %08x)", want, got));
    }
    Builder builder = new Builder();
    try {
      DecodeBuffer d = new DecodeBuffer(b.slice(HEADER_BYTES, entriesLen), name, HEADER_BYTES);
      while (d.remaining() > 0) {
        int at = d.position();
        long ref = d.uvarint();
        long min = d.varint();
        long max = d.varint();
        if (min > max) {
          throw d.corrupt(at, "tombstone for series " + Long.toUnsignedString(ref) + " has minTime " + min
              + " > maxTime " + max);
        }
        builder.add(ref, min, max);
      }
    } catch (CorruptDataException e) {
      throw Corruption.checked(e);
    }
    return builder.build();
  }

  /** The deleted ranges of series {@code seriesRef}; {@link Intervals#empty()} when it has none. */
  public Intervals get(long seriesRef) {
    int i = Arrays.binarySearch(refs, seriesRef);
    return i >= 0 ? intervals[i] : Intervals.empty();
  }

  /** True when no series has a deleted range. */
  public boolean isEmpty() {
    return refs.length == 0;
  }

  /** Number of series with at least one interval. */
  public int seriesCount() {
    return refs.length;
  }

  /** Number of intervals over all series ({@code meta.json stats.numTombstones}). */
  public long intervalCount() {
    long n = 0;
    for (Intervals iv : intervals) {
      n += iv.size();
    }
    return n;
  }

  /** Receives one series' intervals. */
  @FunctionalInterface
  public interface SeriesIntervalsConsumer {
    /** Called once per series, in ascending reference order. */
    void accept(long seriesRef, Intervals intervals);
  }

  /** Calls {@code consumer} for every series with intervals, in ascending reference order. */
  public void forEach(SeriesIntervalsConsumer consumer) {
    for (int i = 0; i < refs.length; i++) {
      consumer.accept(refs[i], intervals[i]);
    }
  }

  /** A builder holding these tombstones, to add more. */
  public Builder toBuilder() {
    Builder b = new Builder();
    forEach(b::add);
    return b;
  }

  /** The file's bytes: series in ascending reference order, each series' intervals ascending. */
  public byte[] encode() {
    EncodeBuffer e = new EncodeBuffer(HEADER_BYTES + 4 + refs.length * 8);
    e.putBE32(MAGIC).putByte(FORMAT_V1);
    for (int i = 0; i < refs.length; i++) {
      Intervals iv = intervals[i];
      for (int k = 0; k < iv.size(); k++) {
        e.putUvarint(refs[i]).putVarint(iv.minTime(k)).putVarint(iv.maxTime(k));
      }
    }
    e.putBE32(e.crc32c(HEADER_BYTES, e.length() - HEADER_BYTES));
    return e.toByteArray();
  }

  /** Writes {@link #encode()} to {@code file} (created or truncated) and forces it to disk. */
  public void write(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(encode());
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
      ch.force(true);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tombstones t && Arrays.equals(refs, t.refs) && Arrays.equals(intervals, t.intervals);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(refs) + Arrays.hashCode(intervals);
  }

  @Override
  public String toString() {
    return "Tombstones[" + refs.length + " series, " + intervalCount() + " intervals]";
  }

  /** Collects intervals per series, merging overlapping and touching ones. Not thread-safe; reusable. */
  public static final class Builder {
    private final Map<Long, Intervals> bySeries = new TreeMap<>();

    private Builder() {}

    /**
     * Deletes {@code [minTime, maxTime]} (inclusive) of series {@code seriesRef}.
     *
     * @throws IllegalArgumentException if {@code minTime > maxTime}
     */
    public Builder add(long seriesRef, long minTime, long maxTime) {
      bySeries.merge(seriesRef, Intervals.of(minTime, maxTime), Intervals::addAll);
      return this;
    }

    /** Adds every interval of {@code intervals} to series {@code seriesRef}. */
    public Builder add(long seriesRef, Intervals intervals) {
      Objects.requireNonNull(intervals, "intervals is null");
      if (!intervals.isEmpty()) {
        bySeries.merge(seriesRef, intervals, Intervals::addAll);
      }
      return this;
    }

    /** The tombstones added so far. */
    public Tombstones build() {
      if (bySeries.isEmpty()) {
        return EMPTY;
      }
      long[] refs = new long[bySeries.size()];
      Intervals[] ivs = new Intervals[refs.length];
      int i = 0;
      for (Map.Entry<Long, Intervals> e : bySeries.entrySet()) {
        refs[i] = e.getKey();
        ivs[i++] = e.getValue();
      }
      return new Tombstones(refs, ivs);
    }
  }
}
