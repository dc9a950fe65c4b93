package dev.orrery.core.index;

/**
 * The references of one list that are absent from another (Prometheus' {@code removedPostings}). The list to drop is
 * only ever sought to the candidate reference, so a long drop list costs seeks, not a scan.
 */
final class WithoutPostings implements Postings {
  private final Postings full;
  private final Postings drop;
  private boolean dropLive = true;
  private long cur;
  private boolean positioned;
  private boolean done;

  WithoutPostings(Postings full, Postings drop) {
    this.full = full;
    this.drop = drop;
  }

  private boolean dropped(long ref) {
    if (!dropLive) {
      return false;
    }
    if (!drop.seek(ref)) {
      dropLive = false;
      return false;
    }
    return drop.at() == ref;
  }

  @Override
  public boolean next() {
    if (done) {
      return false;
    }
    while (full.next()) {
      long r = full.at();
      if (!dropped(r)) {
        cur = r;
        positioned = true;
        return true;
      }
    }
    done = true;
    return false;
  }

  @Override
  public boolean seek(long ref) {
    if (done) {
      return false;
    }
    if (positioned && cur >= ref) {
      return true;
    }
    if (!full.seek(ref)) {
      done = true;
      return false;
    }
    long r = full.at();
    if (!dropped(r)) {
      cur = r;
      positioned = true;
      return true;
    }
    return next();
  }

  @Override
  public long at() {
    return cur;
  }

  @Override
  public String toString() {
    return "Without[" + full + ", " + drop + "]";
  }
}
