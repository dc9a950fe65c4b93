package dev.orrery.core.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/** Names and lists the numbered segment files of a WAL directory ({@code 00000000}, {@code 00000001}, ...). */
public final class WalSegments {
  private WalSegments() {}

  /** The file name of segment {@code index}: eight digits, as Prometheus names them. */
  public static String name(int index) {
    return String.format("%08d", index);
  }

  /** The path of segment {@code index} in {@code dir}. */
  public static Path path(Path dir, int index) {
    return dir.resolve(name(index));
  }

  /**
   * The indexes of the segments in {@code dir}, ascending (empty when there are none or the directory does not exist).
   * Names made only of digits are segments (Prometheus once wrote six); other files are left alone.
   *
   * @throws IOException if the directory cannot be listed or the segments are not consecutive (one is missing)
   */
  public static int[] list(Path dir) throws IOException {
    int[] indexes;
    try (Stream<Path> files = Files.list(dir)) {
      indexes = files.map(p -> p.getFileName().toString()).filter(WalSegments::isNumber)
          .mapToInt(WalSegments::parseIndex).sorted().toArray();
    } catch (NoSuchFileException e) {
      return new int[0];
    }
    for (int i = 1; i < indexes.length; i++) {
      if (indexes[i] != indexes[i - 1] + 1) {
        throw new IOException(dir + ": WAL segments are not consecutive: " + name(indexes[i - 1]) + " is followed by "
            + name(indexes[i]) + " " + Arrays.toString(indexes));
      }
    }
    return indexes;
  }

  static boolean isNumber(String s) {
    if (s.isEmpty() || s.length() > 9) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static int parseIndex(String s) {
    return Integer.parseInt(s);
  }
}
