package dev.orrery.storeapi.proxy;

import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.HistogramArithmetic;

/**
 * {@code sum / count} per timestamp of a downsampled chunk's sum and count sub-chunks (FORMATS.md 7.5, the default
 * aggregate pair); both sub-chunks carry the same timestamps. For a histogram series the sum is a histogram and the
 * average one too (every bucket divided by the count). Confined to one thread.
 */
final class AverageIterator implements SampleIterator {
  private final SampleIterator sum;
  private final SampleIterator count;
  private ValueType type = ValueType.NONE;

  AverageIterator(SampleIterator sum, SampleIterator count) {
    this.sum = sum;
    this.count = count;
  }

  @Override
  public ValueType next() {
    return type = average(sum.next(), count.next());
  }

  private static ValueType average(ValueType sum, ValueType count) {
    if (count != ValueType.FLOAT) {
      return ValueType.NONE;
    }
    return switch (sum) {
      case FLOAT -> ValueType.FLOAT;
      case HISTOGRAM, FLOAT_HISTOGRAM -> ValueType.FLOAT_HISTOGRAM;
      case NONE -> ValueType.NONE;
    };
  }

  @Override
  public ValueType seek(long t) {
    return type = average(sum.seek(t), count.seek(t));
  }

  @Override
  public long atT() {
    return sum.atT();
  }

  @Override
  public double atV() {
    return sum.atV() / count.atV();
  }

  @Override
  public Histogram atHistogram() {
    throw new IllegalStateException("the average of downsampled chunks is a float or a float histogram");
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    if (type != ValueType.FLOAT_HISTOGRAM) {
      throw new IllegalStateException("the current average is not a histogram");
    }
    FloatHistogram total = sum.atFloatHistogram();
    return HistogramArithmetic.divide(total, count.atV());
  }
}
