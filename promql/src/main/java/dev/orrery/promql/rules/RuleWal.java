package dev.orrery.promql.rules;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.io.EncodeBuffer;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.wal.WalCheckpoint;
import dev.orrery.core.wal.WalRecords;
import dev.orrery.core.wal.WalWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ruler storage's write-ahead log: each commit as one write of a series record for its new series and sample
 * records for its floats and histograms (snappy-compressed, Prometheus' format), and checkpoints of what the storage
 * holds. Guarded by the storage's lock.
 */
final class RuleWal implements Closeable {
  /** Samples per record in a checkpoint. */
  private static final int CHECKPOINT_BATCH = 10_000;

  private final WalWriter writer;
  private final EncodeBuffer record = new EncodeBuffer();

  private RuleWal(WalWriter writer) {
    this.writer = writer;
  }

  /** A log over {@code walDir}, starting a new segment after what is there. */
  static RuleWal open(Path walDir) throws IOException {
    return new RuleWal(WalWriter.create(walDir, true));
  }

  /** Logs a commit: the new series ({@code newRefs}/{@code newLabels}, may be none) and the samples. */
  void logCommit(long[] newRefs, Labels[] newLabels, int newSeries, RuleSamples samples) throws IOException {
    List<byte[]> records = new ArrayList<>(4);
    if (newSeries > 0) {
      WalRecords.encodeSeries(record, newRefs, newLabels, newSeries);
      records.add(record.toByteArray());
    }
    sampleRecords(samples, records);
    writer.log(records.toArray(byte[][]::new));
  }

  /** The records of {@code s}: floats, exponential histograms and custom-bucket histograms, each kind when present. */
  private void sampleRecords(RuleSamples s, List<byte[]> out) {
    RuleSamples floats = new RuleSamples();
    RuleSamples exponential = new RuleSamples();
    RuleSamples custom = new RuleSamples();
    for (int i = 0; i < s.count; i++) {
      FloatHistogram h = s.hs[i];
      RuleSamples kind = h == null ? floats : h.schema() == Histogram.CUSTOM_BUCKETS_SCHEMA ? custom : exponential;
      kind.add(s.refs[i], s.ts[i], s.vs[i], h);
    }
    if (floats.count > 0) {
      WalRecords.encodeSamples(record, floats.refs, floats.ts, floats.vs, floats.count);
      out.add(record.toByteArray());
    }
    for (RuleSamples histograms : List.of(exponential, custom)) {
      if (histograms.count > 0) {
        WalRecords.encodeFloatHistogramSamples(record, histograms.refs, histograms.ts, histograms.hs,
            histograms.count);
        out.add(record.toByteArray());
      }
    }
  }

  /**
   * Starts a new segment and replaces the ones before it by a checkpoint of {@code series} and their samples.
   */
  void checkpoint(Map<Labels, RuleSeries> series) throws IOException {
    int last = writer.nextSegment() - 1;
    WalCheckpoint.write(writer.dir(), last, true, w -> {
      long[] refs = new long[series.size()];
      Labels[] labels = new Labels[series.size()];
      int n = 0;
      for (Map.Entry<Labels, RuleSeries> e : series.entrySet()) {
        refs[n] = e.getValue().ref;
        labels[n++] = e.getKey();
      }
      WalRecords.encodeSeries(record, refs, labels, n);
      w.log(record.toByteArray());
      RuleSamples batch = new RuleSamples();
      for (RuleSeries s : series.values()) {
        s.samplesInto(batch);
        if (batch.count >= CHECKPOINT_BATCH) {
          logSamples(w, batch);
        }
      }
      logSamples(w, batch);
    });
  }

  private void logSamples(WalWriter w, RuleSamples batch) throws IOException {
    List<byte[]> records = new ArrayList<>(3);
    sampleRecords(batch, records);
    if (!records.isEmpty()) {
      w.log(records.toArray(byte[][]::new));
    }
    batch.clear();
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
