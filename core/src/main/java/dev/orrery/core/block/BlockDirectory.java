package dev.orrery.core.block;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Finds blocks in a data directory or a filesystem bucket: subdirectories named by a ULID that hold a meta.json. */
public final class BlockDirectory {
  private BlockDirectory() {}

  /**
   * The block directories directly under {@code dir}, in ULID order. Directories whose name is not a ULID (such as
   * {@code wal}, {@code chunks_head} or a {@code .tmp-for-creation} directory) and blocks without {@code meta.json}
   * (still being written) are skipped.
   */
  public static List<Path> blockDirs(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (Files.isDirectory(p) && Ulid.isValid(p.getFileName().toString())
            && Files.exists(p.resolve(BlockMeta.FILE_NAME))) {
          out.add(p);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * Deletes {@code dir} and everything under it, deepest first; nothing happens when it does not exist. For block
   * directories and the temporary directories that downloads, uploads and compactions work in.
   */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
