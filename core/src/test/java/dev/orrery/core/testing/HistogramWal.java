package dev.orrery.core.testing;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.io.EncodeBuffer;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.wal.WalRecords;
import dev.orrery.core.wal.WalWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes float native histogram series into a Prometheus data directory's WAL, which Prometheus 2.42 replays with
 * {@code --enable-feature=native-histograms}: the way to give a real Prometheus native histograms without a scrape.
 */
public final class HistogramWal {
  private HistogramWal() {}

  /**
   * Logs {@code series} and, at each time of {@code timestamps}, the histogram of each series at that position of
   * {@code samples} (one array per series, as long as {@code timestamps}).
   */
  public static void write(Path dataDir, List<Labels> series, long[] timestamps, List<FloatHistogram[]> samples)
      throws IOException {
    long[] refs = new long[series.size()];
    for (int s = 0; s < refs.length; s++) {
      refs[s] = s + 1;
    }
    EncodeBuffer record = new EncodeBuffer();
    try (WalWriter wal = WalWriter.create(dataDir.resolve("wal"), true)) {
      WalRecords.encodeSeries(record, refs, series.toArray(Labels[]::new), refs.length);
      wal.log(record.toByteArray());
      for (int i = 0; i < timestamps.length; i++) {
        for (int s = 0; s < refs.length; s++) {
          WalRecords.encodeFloatHistogramSamples(record, new long[] {refs[s]}, new long[] {timestamps[i]},
              new FloatHistogram[] {samples.get(s)[i]}, 1);
          wal.log(record.toByteArray());
        }
      }
    }
  }
}
