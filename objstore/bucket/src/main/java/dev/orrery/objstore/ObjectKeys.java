package dev.orrery.objstore;

import static java.util.Objects.requireNonNull;

/**
 * The key rules of {@link Bucket}, in one place for every implementation: which keys are valid, how a directory
 * prefix is normalised, and how flat iteration folds keys into directory entries.
 */
public final class ObjectKeys {
  /** The separator of key segments. */
  public static final char DELIMITER = '/';

  private ObjectKeys() {}

  /**
   * Checks that {@code key} is a valid object key (see {@link Bucket}).
   *
   * @param key the key
   * @return the key, for chaining
   * @throws IllegalArgumentException naming the key and the rule it breaks
   */
  public static String checkKey(String key) {
    requireNonNull(key, "key is null");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("object key is empty");
    }
    if (key.charAt(0) == DELIMITER || key.charAt(key.length() - 1) == DELIMITER) {
      throw new IllegalArgumentException("object key must not start or end with '/': " + key);
    }
    checkSegments(key, key);
    return key;
  }

  /**
   * Normalises an iteration prefix to a directory: {@code ""} stays the root, anything else gets a trailing
   * {@code /}.
   *
   * @param prefix the prefix the caller passed
   * @return {@code ""} or a prefix ending in {@code /}
   * @throws IllegalArgumentException if the prefix has invalid segments
   */
  public static String directoryPrefix(String prefix) {
    requireNonNull(prefix, "prefix is null");
    if (prefix.isEmpty()) {
      return prefix;
    }
    if (prefix.charAt(0) == DELIMITER) {
      throw new IllegalArgumentException("prefix must not start with '/': " + prefix);
    }
    String dir = prefix.charAt(prefix.length() - 1) == DELIMITER ? prefix : prefix + DELIMITER;
    checkSegments(dir.substring(0, dir.length() - 1), prefix);
    return dir;
  }

  /**
   * For flat iteration: the entry that {@code key} contributes below directory {@code dir}, which is the key itself
   * when it lies directly in {@code dir}, or the first sub-directory (with a trailing {@code /}) otherwise.
   *
   * @param dir a normalised directory prefix of {@code key} (see {@link #directoryPrefix})
   * @param key an object key starting with {@code dir}
   * @return the flat entry
   */
  public static String flatEntry(String dir, String key) {
    int slash = key.indexOf(DELIMITER, dir.length());
    return slash < 0 ? key : key.substring(0, slash + 1);
  }

  /**
   * Checks the arguments of {@link Bucket#getRange}.
   *
   * @param offset must be {@code >= 0}
   * @param length must be {@code >= 0} or {@code -1}
   * @throws IllegalArgumentException if either is out of range
   */
  public static void checkRange(long offset, long length) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, got " + offset);
    }
    if (length < -1) {
      throw new IllegalArgumentException("length must be >= 0 or -1, got " + length);
    }
  }

  private static void checkSegments(String path, String original) {
    int start = 0;
    while (start <= path.length()) {
      int end = path.indexOf(DELIMITER, start);
      if (end < 0) {
        end = path.length();
      }
      int length = end - start;
      if (length == 0) {
        throw new IllegalArgumentException("object key has an empty segment: " + original);
      }
      if ((length == 1 && path.charAt(start) == '.')
          || (length == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.')) {
        throw new IllegalArgumentException("object key has a '.' or '..' segment: " + original);
      }
      start = end + 1;
    }
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("object key contains NUL: " + original.replace('\0', '?'));
    }
  }
}
