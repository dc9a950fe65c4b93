package dev.orrery.storeapi.gateway;

import dev.orrery.core.labels.Labels;
import java.util.Arrays;

/**
 * The series one block contributes to a {@code Series} request (phase one of a request): final label sets (external
 * labels added, replica labels removed) in label order, each with its chunk metas inside the requested time range.
 * Chunk bytes are not held; they are read per output batch. Built and read by one thread at a time.
 */
final class BlockSeries {
  final BucketBlock block;
  /** False when the block's external labels ruled it out before its index was read. */
  boolean queried;
  int size;
  Labels[] labels = new Labels[16];
  /** Series {@code i} owns chunks {@code [chunkFrom[i], chunkFrom[i + 1])}. */
  int[] chunkFrom = new int[17];
  int chunks;
  long[] minTime = new long[64];
  long[] maxTime = new long[64];
  long[] ref = new long[64];
  private boolean sorted = true;

  BlockSeries(BucketBlock block) {
    this.block = block;
  }

  void addChunk(long min, long max, long chunkRef) {
    if (chunks == ref.length) {
      int cap = chunks * 2;
      minTime = Arrays.copyOf(minTime, cap);
      maxTime = Arrays.copyOf(maxTime, cap);
      ref = Arrays.copyOf(ref, cap);
    }
    minTime[chunks] = min;
    maxTime[chunks] = max;
    ref[chunks++] = chunkRef;
  }

  /** Ends the series whose chunks were just added, under {@code l}. */
  void endSeries(Labels l) {
    if (size == labels.length) {
      labels = Arrays.copyOf(labels, size * 2);
      chunkFrom = Arrays.copyOf(chunkFrom, size * 2 + 1);
    }
    if (size > 0 && sorted && labels[size - 1].compareTo(l) > 0) {
      sorted = false;
    }
    labels[size++] = l;
    chunkFrom[size] = chunks;
  }

  /** Drops the chunks added since the last {@link #endSeries}. */
  void abandonSeries() {
    chunks = chunkFrom[size];
  }

  /**
   * Puts the series in label order when adding external labels or removing replica labels broke the index order
   * (for example a series that is a prefix of another gaining a label that sorts after the other's extra label).
   */
  void sortIfNeeded() {
    if (sorted) {
      return;
    }
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> labels[a].compareTo(labels[b]));
    Labels[] l2 = new Labels[size];
    int[] from2 = new int[size + 1];
    long[] min2 = new long[chunks];
    long[] max2 = new long[chunks];
    long[] ref2 = new long[chunks];
    int c = 0;
    for (int i = 0; i < size; i++) {
      int s = order[i];
      l2[i] = labels[s];
      from2[i] = c;
      int n = chunkFrom[s + 1] - chunkFrom[s];
      System.arraycopy(minTime, chunkFrom[s], min2, c, n);
      System.arraycopy(maxTime, chunkFrom[s], max2, c, n);
      System.arraycopy(ref, chunkFrom[s], ref2, c, n);
      c += n;
    }
    from2[size] = c;
    labels = l2;
    chunkFrom = from2;
    minTime = min2;
    maxTime = max2;
    ref = ref2;
    sorted = true;
  }
}
