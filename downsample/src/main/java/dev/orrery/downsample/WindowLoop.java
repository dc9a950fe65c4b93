package dev.orrery.downsample;

/**
 * The batch aggregation loop of FORMATS.md 7.2, shared by every aggregate at every level and by float and histogram
 * series: samples go to an {@link Aggregator} window by window, and each window is emitted at its last millisecond,
 * except the batch's last window, which is emitted at the batch's last sample time. Only windows that hold samples are
 * emitted. Stateless.
 */
final class WindowLoop {
  /** Receives one window's samples (by their index in the batch), then the window's timestamp. */
  interface Aggregator {
    /** Starts a window. */
    void resetWindow();

    /** Adds sample {@code i} of the batch to the current window. */
    void add(int i);

    /** The current window is complete; {@code t} is its timestamp. */
    void emit(long t);
  }

  private WindowLoop() {}

  /** The last millisecond of the {@code resolution}-aligned window that holds {@code t}. */
  static long windowEnd(long t, long resolution) {
    return t - (t % resolution) + resolution - 1;
  }

  /** The timestamp of the first window {@link #run} emits for {@code ts[0..n-1]}. */
  static long firstWindow(long[] ts, int n, long resolution) {
    return Math.min(windowEnd(ts[0], resolution), ts[n - 1]);
  }

  /**
   * Feeds the {@code n > 0} samples at {@code ts}, in time order, to {@code aggregator} window by window; returns the
   * timestamp of the last window emitted.
   */
  static long run(long[] ts, int n, long resolution, Aggregator aggregator) {
    long lastT = ts[n - 1];
    long windowT = -1;
    for (int i = 0; i < n; i++) {
      if (ts[i] > windowT) {
        if (windowT != -1) {
          aggregator.emit(windowT);
        }
        aggregator.resetWindow();
        windowT = Math.min(windowEnd(ts[i], resolution), lastT);
      }
      aggregator.add(i);
    }
    aggregator.emit(windowT);
    return windowT;
  }
}
