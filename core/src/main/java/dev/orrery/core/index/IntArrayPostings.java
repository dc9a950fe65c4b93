package dev.orrery.core.index;

/** Postings over a slice of a sorted {@code int[]} of unsigned 32-bit series IDs. */
final class IntArrayPostings extends SortedArrayPostings {
  private final int[] refs;

  IntArrayPostings(int[] refs, int from, int to) {
    super(from, to);
    this.refs = refs;
  }

  @Override
  long ref(int index) {
    return Integer.toUnsignedLong(refs[index]);
  }

  @Override
  public String toString() {
    return "IntArrayPostings[" + size() + " refs]";
  }
}
