package dev.orrery.core.wal;

import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.io.CorruptDataException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints of a WAL directory, in Prometheus' layout: {@code checkpoint.NNNNNNNN} is a directory of segments
 * holding everything still needed from segments {@code 0..NNNNNNNN}, which are deleted once it is in place. Replaying
 * a directory reads the newest checkpoint, then the segments after it ({@link #replay}), as Prometheus' head does at
 * startup.
 */
public final class WalCheckpoint {
  static final String PREFIX = "checkpoint.";

  private WalCheckpoint() {}

  /** A checkpoint directory and the last segment it stands for. */
  public record Checkpoint(int index, Path dir) {}

  /** Writes a checkpoint's records. */
  @FunctionalInterface
  public interface Content {
    /** Logs the records to {@code writer}. */
    void writeTo(WalWriter writer) throws IOException;
  }

  /**
   * What a replay read: the number of records, and the corruption it stopped at, or {@code null} (the records before
   * it were delivered).
   */
  public record Replay(int records, WalCorruptionException corruption) {}

  /** The newest checkpoint in {@code walDir}, if any (unfinished {@code .tmp} ones are ignored). */
  public static Optional<Checkpoint> last(Path walDir) throws IOException {
    return list(walDir).stream().max(Comparator.comparingInt(Checkpoint::index));
  }

  private static List<Checkpoint> list(Path walDir) throws IOException {
    try (Stream<Path> files = Files.list(walDir)) {
      return files.filter(p -> {
        String name = p.getFileName().toString();
        return name.startsWith(PREFIX) && WalSegments.isNumber(name.substring(PREFIX.length()))
            && Files.isDirectory(p);
      }).map(p -> new Checkpoint(Integer.parseInt(p.getFileName().toString().substring(PREFIX.length())), p))
          .toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /**
   * Writes checkpoint {@code index} of {@code walDir} with the records {@code content} logs, then deletes the segments
   * up to {@code index} and the older checkpoints. The checkpoint appears atomically: it is written as {@code
   * checkpoint.NNNNNNNN.tmp} and renamed when complete, so a crash leaves either the old state or the new one.
   */
  public static Checkpoint write(Path walDir, int index, boolean compress, Content content) throws IOException {
    String name = PREFIX + WalSegments.name(index);
    Path tmp = walDir.resolve(name + ".tmp");
    BlockDirectory.delete(tmp);
    try (WalWriter w = WalWriter.create(tmp, compress)) {
      content.writeTo(w);
    }
    Path dir = walDir.resolve(name);
    BlockDirectory.delete(dir);
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(walDir);
    for (int segment : WalSegments.list(walDir)) {
      if (segment <= index) {
        Files.delete(WalSegments.path(walDir, segment));
      }
    }
    for (Checkpoint old : list(walDir)) {
      if (old.index() < index) {
        BlockDirectory.delete(old.dir());
      }
    }
    return new Checkpoint(index, dir);
  }

  /**
   * Reads {@code walDir} as Prometheus replays it: the records of the newest checkpoint, then those of the segments
   * after it, decoded into {@code visitor}. Stops at the first corruption (a bad fragment or a record that does not
   * decode) and reports it in the result; an I/O error is thrown.
   */
  public static Replay replay(Path walDir, WalRecords.Visitor visitor) throws IOException {
    Optional<Checkpoint> checkpoint = last(walDir);
    int records = 0;
    if (checkpoint.isPresent()) {
      try (WalReader r = WalReader.open(checkpoint.get().dir())) {
        Replay part = replay(r, visitor);
        if (part.corruption() != null) {
          return part;
        }
        records = part.records();
      }
    }
    try (WalReader r = WalReader.open(walDir, checkpoint.map(c -> c.index() + 1).orElse(0))) {
      Replay rest = replay(r, visitor);
      return new Replay(records + rest.records(), rest.corruption());
    }
  }

  private static Replay replay(WalReader reader, WalRecords.Visitor visitor) throws IOException {
    int records = 0;
    try {
      while (reader.next()) {
        try {
          WalRecords.decode(reader.record(), reader.recordLength(), "WAL record", visitor);
        } catch (CorruptDataException e) {
          throw new WalCorruptionException(reader.segmentFile(), reader.segment(), reader.recordOffset(),
              "record does not decode: " + e.getMessage(), e);
        }
        records++;
      }
    } catch (WalCorruptionException e) {
      return new Replay(records, e);
    }
    return new Replay(records, null);
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException e) {
      // Not every platform can open a directory; the rename is still atomic.
    }
  }
}
