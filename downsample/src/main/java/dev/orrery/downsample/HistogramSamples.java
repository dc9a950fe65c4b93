package dev.orrery.downsample;

import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.FloatHistogram;
import java.util.Arrays;

/** A growable list of float histogram samples in parallel arrays. Confined to one thread. */
final class HistogramSamples {
  long[] ts = new long[16];
  FloatHistogram[] values = new FloatHistogram[16];
  int count;

  void add(long t, FloatHistogram h) {
    if (count == ts.length) {
      ts = Arrays.copyOf(ts, count * 2);
      values = Arrays.copyOf(values, count * 2);
    }
    ts[count] = t;
    values[count++] = h;
  }

  /** Appends every sample of a histogram or float histogram chunk (integer histograms converted). */
  void addAll(Chunk chunk) {
    SampleIterator it = chunk.iterator(null);
    for (ValueType type = it.next(); type != ValueType.NONE; type = it.next()) {
      add(it.atT(), type == ValueType.HISTOGRAM ? it.atHistogram().toFloat() : it.atFloatHistogram());
    }
  }

  /** The smallest schema among the samples. */
  int minSchema() {
    int schema = Integer.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      schema = Math.min(schema, values[i].schema());
    }
    return schema;
  }
}
