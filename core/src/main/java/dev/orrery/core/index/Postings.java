package dev.orrery.core.index;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An ascending cursor over series references: the postings list of one label pair, or a set operation over several
 * ({@link #intersect}, {@link #merge}, {@link #without}). A cursor, not a collection: it is consumed once, the caller
 * drives it, and nothing is materialised unless the caller asks ({@link #expand}). Mirrors Prometheus'
 * {@code index.Postings} ({@code tsdb/index/postings.go}).
 *
 * <p>Contract: references come out strictly ascending. {@link #at()} is valid only after {@link #next()} or
 * {@link #seek(long)} returned {@code true}. Once either returned {@code false} the cursor is exhausted and stays so.
 * Instances are confined to one thread. Corruption found while decoding a lazily read list surfaces as an unchecked
 * {@link dev.orrery.core.io.CorruptDataException} from {@code next()} or {@code seek()}.
 */
public interface Postings {
  /** Advances to the next reference; {@code false} once exhausted. */
  boolean next();

  /**
   * Advances to the first reference {@code >= ref}. Does not move when the current reference is already
   * {@code >= ref}; may be called before the first {@link #next()}.
   *
   * @return {@code true} when such a reference exists, {@code false} once exhausted
   */
  boolean seek(long ref);

  /** The current reference; valid only after {@link #next()} or {@link #seek(long)} returned {@code true}. */
  long at();

  /** The shared postings with no references (a null object: no {@code null} checks needed). */
  static Postings empty() {
    return EmptyPostings.INSTANCE;
  }

  /** True when {@code p} is the {@link #empty()} singleton, so set operations can short-cut. */
  static boolean isEmpty(Postings p) {
    return p == EmptyPostings.INSTANCE;
  }

  /**
   * Postings over strictly ascending, non-negative {@code refs}. The array is not copied and must not change while
   * the cursor is used.
   */
  static Postings of(long... refs) {
    return refs.length == 0 ? empty() : new LongArrayPostings(refs, 0, refs.length);
  }

  /** Postings over {@code refs[from..to)}, strictly ascending and non-negative; the array is not copied. */
  static Postings of(long[] refs, int from, int to) {
    Objects.checkFromToIndex(from, to, refs.length);
    return from == to ? empty() : new LongArrayPostings(refs, from, to);
  }

  /**
   * Postings over strictly ascending series IDs held as unsigned 32-bit {@code int}s (the index's own width), e.g.
   * {@code 0xFFFFFFFF} is ref 4294967295. The array is not copied.
   */
  static Postings ofUnsignedInts(int[] refs, int from, int to) {
    Objects.checkFromToIndex(from, to, refs.length);
    return from == to ? empty() : new IntArrayPostings(refs, from, to);
  }

  /**
   * A lazy view over {@code count} big-endian unsigned 32-bit references starting at absolute index {@code offset} of
   * {@code buf} (the body of an index postings list, {@code FORMATS.md} 4.4). Entries are decoded on the fly and
   * {@link #seek} uses a galloping binary search; the buffer's position and limit are not used.
   *
   * @throws IndexOutOfBoundsException if the range lies outside the buffer's limit
   */
  static Postings bigEndian(ByteBuffer buf, int offset, int count) {
    Objects.checkFromIndexSize(offset, count * 4L > Integer.MAX_VALUE ? -1 : count * 4, buf.limit());
    if (count == 0) {
      return empty();
    }
    return new BigEndianPostings(buf.order() == ByteOrder.BIG_ENDIAN ? buf : buf.duplicate(), offset, count);
  }

  /** The references present in every list. No lists, or any {@link #empty()} list, gives {@link #empty()}. */
  static Postings intersect(Postings... lists) {
    return IntersectPostings.of(lists.clone());
  }

  /** Same as {@link #intersect(Postings...)} over a list. */
  static Postings intersect(List<? extends Postings> lists) {
    return IntersectPostings.of(lists.toArray(new Postings[0]));
  }

  /**
   * The union of the lists without duplicates. Two lists merge pairwise; more use a k-way merge over a binary heap,
   * so the cost per reference is {@code O(log k)}. {@link #empty()} lists are dropped.
   */
  static Postings merge(Postings... lists) {
    return MergePostings.of(lists.clone());
  }

  /** Same as {@link #merge(Postings...)} over a list. */
  static Postings merge(List<? extends Postings> lists) {
    return MergePostings.of(lists.toArray(new Postings[0]));
  }

  /** The references of {@code full} that are not in {@code drop} (Prometheus' {@code index.Without}). */
  static Postings without(Postings full, Postings drop) {
    Objects.requireNonNull(full, "full is null");
    Objects.requireNonNull(drop, "drop is null");
    if (isEmpty(full)) {
      return full;
    }
    if (isEmpty(drop)) {
      return full;
    }
    return new WithoutPostings(full, drop);
  }

  /** Drains the remaining references of {@code p} into a new array (Prometheus' {@code ExpandPostings}). */
  static long[] expand(Postings p) {
    long[] out = new long[16];
    int n = 0;
    while (p.next()) {
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = p.at();
    }
    return Arrays.copyOf(out, n);
  }
}
