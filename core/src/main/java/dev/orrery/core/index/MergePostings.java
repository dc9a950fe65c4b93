package dev.orrery.core.index;

import java.util.Arrays;
import java.util.Objects;

/**
 * The union of several postings lists, without duplicates: a k-way merge over a binary min-heap keyed by each list's
 * current reference (Prometheus' {@code mergedPostings}). Two lists use {@link Union2}, which needs no heap.
 */
final class MergePostings implements Postings {
  private final Postings[] heap;
  private final long[] heads;
  private int size;
  private long cur;
  private int state; // 0 = not started, 1 = positioned, 2 = exhausted

  private MergePostings(Postings[] lists) {
    this.heap = lists;
    this.heads = new long[lists.length];
  }

  static Postings of(Postings[] lists) {
    int n = 0;
    for (Postings p : lists) {
      Objects.requireNonNull(p, "postings list is null");
      if (!Postings.isEmpty(p)) {
        lists[n++] = p;
      }
    }
    return switch (n) {
      case 0 -> Postings.empty();
      case 1 -> lists[0];
      case 2 -> new Union2(lists[0], lists[1]);
      default -> new MergePostings(Arrays.copyOf(lists, n));
    };
  }

  // Positions every list (next() or seek(ref)) and heapifies the ones that are not exhausted.
  private boolean start(boolean seeking, long ref) {
    int n = 0;
    for (int i = 0; i < heap.length; i++) {
      Postings p = heap[i];
      if (seeking ? p.seek(ref) : p.next()) {
        heap[n] = p;
        heads[n] = p.at();
        n++;
      }
    }
    Arrays.fill(heap, n, heap.length, null);
    size = n;
    for (int i = (n >>> 1) - 1; i >= 0; i--) {
      siftDown(i);
    }
    state = 1;
    return settle();
  }

  private boolean settle() {
    if (size == 0) {
      state = 2;
      return false;
    }
    cur = heads[0];
    return true;
  }

  @Override
  public boolean next() {
    if (state != 1) {
      return state == 0 && start(false, 0);
    }
    long c = cur;
    while (size > 0 && heads[0] == c) {
      Postings top = heap[0];
      if (top.next()) {
        heads[0] = top.at();
        siftDown(0);
      } else {
        removeTop();
      }
    }
    return settle();
  }

  @Override
  public boolean seek(long ref) {
    if (state != 1) {
      return state == 0 && start(true, ref);
    }
    if (cur >= ref) {
      return true;
    }
    // Only lists whose head is below ref must move; once the minimum is >= ref, all are.
    while (size > 0 && heads[0] < ref) {
      Postings top = heap[0];
      if (top.seek(ref)) {
        heads[0] = top.at();
        siftDown(0);
      } else {
        removeTop();
      }
    }
    return settle();
  }

  @Override
  public long at() {
    return cur;
  }

  private void removeTop() {
    size--;
    heap[0] = heap[size];
    heads[0] = heads[size];
    heap[size] = null;
    if (size > 0) {
      siftDown(0);
    }
  }

  private void siftDown(int i) {
    Postings p = heap[i];
    long h = heads[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && heads[right] < heads[child]) {
        child = right;
      }
      if (h <= heads[child]) {
        break;
      }
      heap[i] = heap[child];
      heads[i] = heads[child];
      i = child;
    }
    heap[i] = p;
    heads[i] = h;
  }

  @Override
  public String toString() {
    return "Merge[" + heap.length + " lists]";
  }

  /** The union of exactly two lists: compare the two heads, no heap. */
  static final class Union2 implements Postings {
    private final Postings a;
    private final Postings b;
    private boolean aLive;
    private boolean bLive;
    private long cur;
    private int state; // 0 = not started, 1 = positioned, 2 = exhausted

    Union2(Postings a, Postings b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public boolean next() {
      switch (state) {
        case 0 -> {
          aLive = a.next();
          bLive = b.next();
          state = 1;
        }
        case 1 -> {
          if (aLive && a.at() == cur) {
            aLive = a.next();
          }
          if (bLive && b.at() == cur) {
            bLive = b.next();
          }
        }
        default -> {
          return false;
        }
      }
      return pick();
    }

    @Override
    public boolean seek(long ref) {
      switch (state) {
        case 0 -> {
          aLive = a.seek(ref);
          bLive = b.seek(ref);
          state = 1;
        }
        case 1 -> {
          if (cur >= ref) {
            return true;
          }
          aLive = aLive && a.seek(ref);
          bLive = bLive && b.seek(ref);
        }
        default -> {
          return false;
        }
      }
      return pick();
    }

    private boolean pick() {
      if (aLive) {
        cur = bLive ? Math.min(a.at(), b.at()) : a.at();
        return true;
      }
      if (bLive) {
        cur = b.at();
        return true;
      }
      state = 2;
      return false;
    }

    @Override
    public long at() {
      return cur;
    }

    @Override
    public String toString() {
      return "Merge[" + a + ", " + b + "]";
    }
  }
}
