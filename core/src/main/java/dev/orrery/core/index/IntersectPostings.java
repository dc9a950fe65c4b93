package dev.orrery.core.index;

import java.util.Arrays;
import java.util.Objects;

/**
 * The references present in every one of several postings lists. Each step seeks the lists round-robin to the
 * largest reference seen so far until all agree, so long lists are skipped over rather than scanned, as in
 * Prometheus' {@code intersectPostings}.
 */
final class IntersectPostings implements Postings {
  private final Postings[] lists;
  private long cur;
  private boolean positioned;
  private boolean done;

  private IntersectPostings(Postings[] lists) {
    this.lists = lists;
  }

  static Postings of(Postings[] lists) {
    if (lists.length == 0) {
      return Postings.empty();
    }
    for (int i = 0; i < lists.length; i++) {
      Objects.requireNonNull(lists[i], "postings list is null");
      if (Postings.isEmpty(lists[i])) {
        return Postings.empty();
      }
    }
    return lists.length == 1 ? lists[0] : new IntersectPostings(lists);
  }

  @Override
  public boolean next() {
    if (done || !lists[0].next()) {
      return exhausted();
    }
    return align(lists[0].at());
  }

  @Override
  public boolean seek(long ref) {
    if (done) {
      return false;
    }
    if (positioned && cur >= ref) {
      return true;
    }
    if (!lists[0].seek(ref)) {
      return exhausted();
    }
    return align(lists[0].at());
  }

  // lists[0] stands at target; walk the others round-robin until n consecutive lists agree on one reference.
  private boolean align(long target) {
    Postings[] ps = lists;
    int n = ps.length;
    int agreed = 1;
    int k = 1;
    while (agreed < n) {
      Postings p = ps[k];
      if (!p.seek(target)) {
        return exhausted();
      }
      long at = p.at();
      if (at != target) {
        target = at;
        agreed = 1;
      } else {
        agreed++;
      }
      if (++k == n) {
        k = 0;
      }
    }
    cur = target;
    positioned = true;
    return true;
  }

  private boolean exhausted() {
    done = true;
    return false;
  }

  @Override
  public long at() {
    return cur;
  }

  @Override
  public String toString() {
    return "Intersect" + Arrays.toString(lists);
  }
}
