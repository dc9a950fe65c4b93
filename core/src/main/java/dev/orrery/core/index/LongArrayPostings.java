package dev.orrery.core.index;

/** Postings over a slice of a sorted {@code long[]}. */
final class LongArrayPostings extends SortedArrayPostings {
  private final long[] refs;

  LongArrayPostings(long[] refs, int from, int to) {
    super(from, to);
    this.refs = refs;
  }

  @Override
  long ref(int index) {
    return refs[index];
  }

  @Override
  public String toString() {
    return "LongArrayPostings[" + size() + " refs]";
  }
}
