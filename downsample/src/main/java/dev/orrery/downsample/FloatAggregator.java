package dev.orrery.downsample;

/**
 * Thanos' float aggregator (FORMATS.md 7.2): count, sum, min and max of the current window, and a counter that runs
 * over the whole batch, where a value below the previous one is a counter reset and adds itself rather than the
 * difference. One per batch.
 */
class FloatAggregator implements WindowLoop.Aggregator {
  private final double[] values;
  int count;
  double sum;
  double min;
  double max;
  double counter;
  private double last;
  private boolean started;

  /** An aggregator over the batch's values {@code values}. */
  FloatAggregator(double[] values) {
    this.values = values;
  }

  @Override
  public void resetWindow() {
    count = 0;
    sum = 0;
    // Thanos starts from the largest finite values, not from infinities.
    min = Double.MAX_VALUE;
    max = -Double.MAX_VALUE;
  }

  @Override
  public void add(int i) {
    add(values[i]);
  }

  private void add(double v) {
    if (started) {
      counter += v < last ? v : v - last;
    } else {
      counter = v;
      started = true;
    }
    last = v;
    sum += v;
    count++;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }

  /** Does nothing: subclasses append what they keep of the window. */
  @Override
  public void emit(long t) {}
}
