package dev.orrery.promql.exec.aggregate;

/**
 * The bounded heap {@code topk}/{@code bottomk} select with, replicating Prometheus' use of Go's
 * {@code container/heap} step for step (push with sift-up; replace the root and {@code heap.Fix} when a better sample
 * arrives), so that ties between equal values keep the same series Prometheus keeps. The root is the worst kept
 * sample: the smallest for topk, the largest for bottomk, NaN always worst. Holds sample indexes into one step
 * vector. Confined to one thread; reusable through {@link #reset}.
 */
final class SelectionHeap {
  private final boolean top;
  private int[] items = new int[8];
  private int size;
  private double[] values;

  SelectionHeap(boolean top) {
    this.top = top;
  }

  void reset(double[] stepValues) {
    this.values = stepValues;
    this.size = 0;
  }

  int size() {
    return size;
  }

  int get(int i) {
    return items[i];
  }

  /** Offers sample {@code s}: kept while fewer than {@code k} are held, else replaces the root if better. */
  void offer(int s, long k) {
    if (size < k) {
      if (size == items.length) {
        items = java.util.Arrays.copyOf(items, size * 2);
      }
      items[size++] = s;
      up(size - 1);
      return;
    }
    double root = values[items[0]];
    double v = values[s];
    boolean better = top ? root < v : root > v;
    if (better || (Double.isNaN(root) && !Double.isNaN(v))) {
      items[0] = s;
      if (k > 1 && !down(0)) {
        up(0);
      }
    }
  }

  // Prometheus' vectorByValueHeap / vectorByReverseValueHeap Less: NaN first, then by value.
  private boolean less(int i, int j) {
    double a = values[items[i]];
    if (Double.isNaN(a)) {
      return true;
    }
    double b = values[items[j]];
    return top ? a < b : a > b;
  }

  private void swap(int i, int j) {
    int t = items[i];
    items[i] = items[j];
    items[j] = t;
  }

  private void up(int j) {
    while (true) {
      int i = (j - 1) / 2;
      if (i == j || !less(j, i)) {
        break;
      }
      swap(i, j);
      j = i;
    }
  }

  private boolean down(int i0) {
    int i = i0;
    while (true) {
      int j1 = 2 * i + 1;
      if (j1 >= size || j1 < 0) {
        break;
      }
      int j = j1;
      int j2 = j1 + 1;
      if (j2 < size && less(j2, j1)) {
        j = j2;
      }
      if (!less(j, i)) {
        break;
      }
      swap(i, j);
      i = j;
    }
    return i > i0;
  }
}
