package dev.orrery.core.index;

/** The postings with no references; stateless, so one instance serves every thread. */
enum EmptyPostings implements Postings {
  INSTANCE;

  @Override
  public boolean next() {
    return false;
  }

  @Override
  public boolean seek(long ref) {
    return false;
  }

  @Override
  public long at() {
    throw new IllegalStateException("empty postings have no current reference");
  }

  @Override
  public String toString() {
    return "Postings.empty()";
  }
}
