package dev.orrery.core.chunk;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;

/** A sample iterator over float samples only: asking it for a histogram is a caller's error. */
interface FloatSampleIterator extends SampleIterator {
  @Override
  default Histogram atHistogram() {
    throw new IllegalStateException("float samples only: no histogram at this position");
  }

  @Override
  default FloatHistogram atFloatHistogram() {
    throw new IllegalStateException("float samples only: no histogram at this position");
  }
}
