package dev.orrery.core.block;

import dev.orrery.core.index.Tombstones;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A new block being written: its files go into {@code <ulid>.tmp-for-creation} under the parent directory (Prometheus'
 * name, which block readers and the shipper skip), and {@link #publish} writes the empty {@code tombstones} and {@code
 * meta.json} and renames the directory to {@code <ulid>} in one step, so readers never see a half-written block.
 * Closing it unpublished deletes what was written. Confined to one thread.
 *
 * {@snippet :
 * try (BlockCreation creation = BlockCreation.start(parentDir, ulid)) {
 *   // write creation.dir().resolve("chunks") and creation.dir().resolve("index")
 *   creation.publish(meta);
 * }
 * }
 */
public final class BlockCreation implements AutoCloseable {
  private final Path parentDir;
  private final Ulid ulid;
  private final Path dir;
  private boolean published;

  private BlockCreation(Path parentDir, Ulid ulid, Path dir) {
    this.parentDir = parentDir;
    this.ulid = ulid;
    this.dir = dir;
  }

  /**
   * Creates {@code <ulid>.tmp-for-creation} and its {@code chunks} directory under {@code parentDir}.
   *
   * @throws IOException if the directories cannot be created
   */
  public static BlockCreation start(Path parentDir, Ulid ulid) throws IOException {
    Path dir = parentDir.resolve(ulid + ".tmp-for-creation");
    Files.createDirectories(dir.resolve("chunks"));
    return new BlockCreation(parentDir, ulid, dir);
  }

  /** The directory the block's files are written in until it is published. */
  public Path dir() {
    return dir;
  }

  /**
   * Writes empty tombstones and {@code meta} (whose ULID must be this block's), then renames the directory into place.
   *
   * @return the published block directory
   * @throws IOException if writing or renaming fails; the block is then not published
   */
  public Path publish(BlockMeta meta) throws IOException {
    if (!meta.ulid().equals(ulid)) {
      throw new IllegalArgumentException("meta of block " + meta.ulid() + " published as block " + ulid);
    }
    Tombstones.empty().write(dir.resolve(Tombstones.FILE_NAME));
    meta.write(dir);
    Path target = parentDir.resolve(ulid.toString());
    Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
    published = true;
    return target;
  }

  /** Deletes the directory unless the block was published. */
  @Override
  public void close() throws IOException {
    if (!published) {
      BlockDirectory.delete(dir);
    }
  }
}
