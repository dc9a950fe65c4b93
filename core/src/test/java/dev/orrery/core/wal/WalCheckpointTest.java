package dev.orrery.core.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.io.EncodeBuffer;
import dev.orrery.core.labels.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalCheckpointTest {
  @TempDir
  Path dir;

  private final List<String> replayed = new ArrayList<>();
  private final WalRecords.Visitor visitor = new WalRecords.Visitor() {
    @Override
    public void series(long ref, Labels labels) {
      replayed.add("series " + ref);
    }

    @Override
    public void sample(long ref, long t, double value) {
      replayed.add(ref + "@" + t);
    }
  };

  private static byte[] sample(long ref, long t) {
    EncodeBuffer out = new EncodeBuffer();
    WalRecords.encodeSamples(out, new long[] {ref}, new long[] {t}, new double[] {1}, 1);
    return out.toByteArray();
  }

  private static byte[] series(long ref) {
    EncodeBuffer out = new EncodeBuffer();
    WalRecords.encodeSeries(out, new long[] {ref}, new Labels[] {Labels.of("__name__", "m" + ref)}, 1);
    return out.toByteArray();
  }

  @Test
  void replayReadsTheNewestCheckpointThenTheSegmentsAfterIt() throws IOException {
    try (WalWriter w = WalWriter.create(dir, true)) {
      w.log(series(1), sample(1, 10));
      w.nextSegment();
      w.log(sample(1, 20));
      int active = w.nextSegment();
      WalCheckpoint.write(dir, active - 1, true, cp -> cp.log(series(1), sample(1, 20)));
      w.log(sample(1, 30));
    }
    assertThat(WalSegments.list(dir)).containsExactly(2);
    assertThat(WalCheckpoint.last(dir)).map(WalCheckpoint.Checkpoint::index).contains(1);
    assertThat(Files.isDirectory(dir.resolve("checkpoint.00000001"))).isTrue();

    WalCheckpoint.Replay r = WalCheckpoint.replay(dir, visitor);
    assertThat(r.corruption()).isNull();
    assertThat(r.records()).isEqualTo(3);
    assertThat(replayed).containsExactly("series 1", "1@20", "1@30");
  }

  @Test
  void aNewerCheckpointReplacesTheOlderOneAndAnUnfinishedOneIsIgnored() throws IOException {
    try (WalWriter w = WalWriter.create(dir, false)) {
      w.log(series(1));
      WalCheckpoint.write(dir, w.nextSegment() - 1, false, cp -> cp.log(series(1)));
      w.log(series(2));
      WalCheckpoint.write(dir, w.nextSegment() - 1, false, cp -> cp.log(series(1), series(2)));
      w.log(sample(2, 5));
    }
    Files.createDirectories(dir.resolve("checkpoint.00000009.tmp"));
    assertThat(Files.exists(dir.resolve("checkpoint.00000000"))).isFalse();
    WalCheckpoint.replay(dir, visitor);
    assertThat(replayed).containsExactly("series 1", "series 2", "2@5");
  }

  @Test
  void replayStopsAtACorruptRecordAndReportsIt() throws IOException {
    try (WalWriter w = WalWriter.create(dir, false)) {
      w.log(series(1), sample(1, 10));
      w.log(new byte[] {2, 0, 0}); // a samples record cut short
      w.log(sample(1, 30));
    }
    WalCheckpoint.Replay r = WalCheckpoint.replay(dir, visitor);
    assertThat(r.records()).isEqualTo(2);
    assertThat(r.corruption()).isNotNull();
    assertThat(r.corruption().getMessage()).contains("record does not decode")
        .contains(WalSegments.path(dir, 0).toString());
    assertThat(replayed).containsExactly("series 1", "1@10");
  }

  @Test
  void aWriterStartsAfterTheNewestCheckpointEvenWithoutSegments() throws IOException {
    try (WalWriter w = WalWriter.create(dir, false)) {
      w.log(series(1));
      WalCheckpoint.write(dir, w.nextSegment() - 1, false, cp -> cp.log(series(1)));
    }
    Files.delete(WalSegments.path(dir, 1));
    try (WalWriter w = WalWriter.create(dir, false)) {
      assertThat(w.segment()).isEqualTo(1);
      w.log(series(2));
    }
    WalCheckpoint.replay(dir, visitor);
    assertThat(replayed).containsExactly("series 1", "series 2");
  }

  @Test
  void anEmptyOrMissingDirectoryReplaysNothing() throws IOException {
    assertThat(WalCheckpoint.replay(dir.resolve("absent"), visitor).records()).isZero();
    assertThat(WalCheckpoint.replay(dir, visitor).records()).isZero();
  }
}
