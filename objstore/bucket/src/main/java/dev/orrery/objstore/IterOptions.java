package dev.orrery.objstore;

/**
 * How {@link Bucket#iterate} walks a prefix.
 *
 * @param recursive {@code false} lists one level like Thanos' default {@code Iter}: objects directly under the
 *     prefix, plus one entry ending in {@code /} per "directory" below it; {@code true} lists every object under the
 *     prefix at any depth and never a directory (Thanos' {@code WithRecursiveIter})
 */
public record IterOptions(boolean recursive) {
  /** One level, directories reported with a trailing {@code /}. */
  public static final IterOptions FLAT = new IterOptions(false);
  /** Every object at any depth; no directory entries. */
  public static final IterOptions RECURSIVE = new IterOptions(true);
}
