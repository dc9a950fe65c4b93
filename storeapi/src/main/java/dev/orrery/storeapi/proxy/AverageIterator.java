package dev.orrery.storeapi.proxy;

import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;

/**
 * {@code sum / count} per timestamp of a downsampled chunk's sum and count sub-chunks (FORMATS.md 7.5, the default
 * aggregate pair); both sub-chunks carry the same timestamps. Floats only. Confined to one thread.
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
    ValueType a = sum.next();
    ValueType b = count.next();
    return type = a == ValueType.FLOAT && b == ValueType.FLOAT ? ValueType.FLOAT : ValueType.NONE;
  }

  @Override
  public ValueType seek(long t) {
    ValueType a = sum.seek(t);
    ValueType b = count.seek(t);
    return type = a == ValueType.FLOAT && b == ValueType.FLOAT ? ValueType.FLOAT : ValueType.NONE;
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
    throw new IllegalStateException("average of downsampled chunks is a float, not a histogram");
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    throw new IllegalStateException("average of downsampled chunks is a float, not a histogram");
  }
}
