package dev.orrery.core.block;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Size on disk of a block directory. */
public final class BlockSize {
  private BlockSize() {}

  /** Sum of the sizes of every regular file under {@code blockDir}. */
  public static long of(Path blockDir) throws IOException {
    try (Stream<Path> files = Files.walk(blockDir)) {
      long total = 0;
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          total += Files.size(p);
        }
      }
      return total;
    }
  }
}
