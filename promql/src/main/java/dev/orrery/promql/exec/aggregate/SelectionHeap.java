package dev.orrery.promql.exec.aggregate;

/**
 * The bounded heap {@code topk}/{@code bottomk} select with, replicating Prometheus 3.x's use of Go's
 * {@code container/heap} step for step (push with sift-up while fewer than k are held; otherwise overwrite the root and
 * {@code heap.Fix} when a better sample arrives), so that ties between equal values keep the same series Prometheus
 * keeps. The root is the worst kept sample: the smallest for topk, the largest for bottomk, NaN always worst. The heap
 * is an {@code int[]} of sample indexes into one step's values, owned by the caller. Stateless.
 */
final class SelectionHeap {
  private SelectionHeap() {}

  /**
   * Offers sample {@code s} to the heap {@code heap[0..size)}; returns the new size.
   *
   * @param top true for topk, false for bottomk
   */
  static int offer(double[] values, int[] heap, int size, int s, long k, boolean top) {
    if (size < k) {
      heap[size] = s;
      up(values, heap, size, top);
      return size + 1;
    }
    double root = values[heap[0]];
    double v = values[s];
    boolean better = top ? root < v : root > v;
    if (better || (Double.isNaN(root) && !Double.isNaN(v))) {
      heap[0] = s;
      if (k > 1 && !down(values, heap, size, top)) {
        up(values, heap, 0, top);
      }
    }
    return size;
  }

  // Prometheus' vectorByValueHeap / vectorByReverseValueHeap Less: NaN first, then by value.
  private static boolean less(double[] values, int[] heap, int i, int j, boolean top) {
    double a = values[heap[i]];
    if (Double.isNaN(a)) {
      return true;
    }
    double b = values[heap[j]];
    return top ? a < b : a > b;
  }

  private static void swap(int[] heap, int i, int j) {
    int t = heap[i];
    heap[i] = heap[j];
    heap[j] = t;
  }

  private static void up(double[] values, int[] heap, int j, boolean top) {
    while (true) {
      int i = (j - 1) / 2;
      if (i == j || !less(values, heap, j, i, top)) {
        break;
      }
      swap(heap, i, j);
      j = i;
    }
  }

  // Sifts the root down; true when it moved.
  private static boolean down(double[] values, int[] heap, int size, boolean top) {
    int i = 0;
    while (true) {
      int j1 = 2 * i + 1;
      if (j1 >= size || j1 < 0) {
        break;
      }
      int j = j1;
      int j2 = j1 + 1;
      if (j2 < size && less(values, heap, j2, j1, top)) {
        j = j2;
      }
      if (!less(values, heap, j, i, top)) {
        break;
      }
      swap(heap, i, j);
      i = j;
    }
    return i > 0;
  }
}
