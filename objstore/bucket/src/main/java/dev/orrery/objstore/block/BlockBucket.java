package dev.orrery.objstore.block;

import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.labels.Utf8Order;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.IterOptions;
import dev.orrery.objstore.ObjectAttributes;
import dev.orrery.objstore.ObjectNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Thanos' block layout over a {@link Bucket} (FORMATS.md 6.3, 6.4): one directory per block named by its ULID,
 * {@code meta.json} uploaded last so that its presence marks a complete block, and marker files beside it.
 *
 * <ul>
 *   <li>{@link #upload(Path)} uploads {@code chunks/*}, then {@code index}, then {@code meta.json} with {@code
 *       thanos.files}, {@code thanos.segment_files} and {@code thanos.upload_time} filled in; it refuses a block
 *       without {@code meta.json} or without external labels, as Thanos' uploader does. {@code tombstones} is not
 *       uploaded.
 *   <li>{@link #download(Ulid, Path)} fetches {@code meta.json}, {@code index} and {@code chunks/*} into a temporary
 *       directory, checks sizes against {@code thanos.files}, and renames it into place.
 *   <li>{@link #delete(Ulid)} deletes {@code meta.json} first (readers stop seeing the block), then every other
 *       object, then {@code deletion-mark.json}.
 *   <li>{@link #verify(Ulid)} checks a block in the bucket without downloading it.
 * </ul>
 *
 * <p>Thread-safe if the bucket is. Does not own the bucket.
 */
public final class BlockBucket {
  private static final Logger LOG = LoggerFactory.getLogger(BlockBucket.class);

  /** The object that marks a complete block. */
  public static final String META_FILE = BlockMeta.FILE_NAME;
  /** The index object's name. */
  public static final String INDEX_FILE = "index";
  /** The chunk segments' directory. */
  public static final String CHUNKS_DIRECTORY = "chunks";

  private final Bucket bucket;
  private final Clock clock;

  /**
   * Creates the layout over a bucket.
   *
   * @param bucket the bucket; not closed by this object
   * @param clock for {@code upload_time} and marker times
   */
  public BlockBucket(Bucket bucket, Clock clock) {
    this.bucket = requireNonNull(bucket, "bucket is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Returns the underlying bucket. */
  public Bucket bucket() {
    return bucket;
  }

  /** Returns the key of a block's {@code meta.json}. */
  public static String metaKey(Ulid id) {
    return id + "/" + META_FILE;
  }

  /** Returns the key of a block's {@code deletion-mark.json}. */
  public static String deletionMarkKey(Ulid id) {
    return id + "/" + DeletionMark.FILE_NAME;
  }

  /** Returns the key of a block's {@code no-compact-mark.json}. */
  public static String noCompactMarkKey(Ulid id) {
    return id + "/" + NoCompactMark.FILE_NAME;
  }

  /**
   * Uploads a local block directory in Thanos' order. Safe to repeat after a failure: objects are replaced, and
   * the block becomes visible only with the final {@code meta.json}.
   *
   * @param blockDir the directory, named by the block's ULID, with {@code meta.json}, {@code index} and {@code
   *     chunks/}
   * @return the meta as uploaded (with {@code thanos.files} and {@code upload_time})
   * @throws IllegalArgumentException if the meta has no {@code thanos} section or empty external labels, or the
   *     directory name is not the meta's ULID
   * @throws java.nio.file.NoSuchFileException if {@code meta.json}, {@code index} or {@code chunks/} is missing
   * @throws IOException if reading or uploading fails
   */
  public BlockMeta upload(Path blockDir) throws IOException {
    BlockMeta meta = BlockMeta.read(blockDir);
    String dirName = blockDir.getFileName().toString();
    if (!dirName.equals(meta.ulid().toString())) {
      throw new IllegalArgumentException("block directory " + blockDir + " does not match the ULID "
          + meta.ulid() + " of its meta.json");
    }
    if (meta.thanos() == null || meta.thanos().labels().isEmpty()) {
      throw new IllegalArgumentException("block " + meta.ulid() + ": empty external labels are not allowed for a"
          + " Thanos block");
    }
    Path index = blockDir.resolve(INDEX_FILE);
    if (!Files.isRegularFile(index)) {
      throw new java.nio.file.NoSuchFileException(index.toString(), null, "block has no index");
    }
    List<Path> chunks = chunkFiles(blockDir);
    List<BlockMeta.ThanosFile> files = new ArrayList<>();
    for (Path chunk : chunks) {
      files.add(new BlockMeta.ThanosFile(CHUNKS_DIRECTORY + "/" + chunk.getFileName(), Files.size(chunk), null));
    }
    files.add(new BlockMeta.ThanosFile(INDEX_FILE, Files.size(index), null));
    files.add(new BlockMeta.ThanosFile(META_FILE, 0, null));
    files.sort(Comparator.comparing(BlockMeta.ThanosFile::relPath, Utf8Order.COMPARATOR));

    String prefix = meta.ulid() + "/";
    for (Path chunk : chunks) {
      bucket.upload(prefix + CHUNKS_DIRECTORY + "/" + chunk.getFileName(), chunk);
    }
    bucket.upload(prefix + INDEX_FILE, index);

    BlockMeta.ThanosMeta thanos = meta.thanos();
    List<String> segments = thanos.segmentFiles().isEmpty()
        ? chunks.stream().map(chunk -> chunk.getFileName().toString()).toList() : thanos.segmentFiles();
    BlockMeta uploaded = meta.withThanos(new BlockMeta.ThanosMeta(thanos.labels(),
        thanos.downsampleResolutionMillis(), thanos.source(), segments, files, thanos.rewrites(),
        thanos.indexStats(), thanos.extensions(), clock.instant().truncatedTo(ChronoUnit.MICROS).toString()));
    // Last: its presence tells every reader that the block is complete.
    bucket.upload(metaKey(meta.ulid()), uploaded.toJson().getBytes(StandardCharsets.UTF_8));
    return uploaded;
  }

  private static List<Path> chunkFiles(Path blockDir) throws IOException {
    Path chunksDir = blockDir.resolve(CHUNKS_DIRECTORY);
    if (!Files.isDirectory(chunksDir)) {
      throw new java.nio.file.NoSuchFileException(chunksDir.toString(), null, "block has no chunks directory");
    }
    try (Stream<Path> list = Files.list(chunksDir)) {
      // FORMATS.md 1.1: readers ignore segment files whose names are not decimal numbers.
      return list.filter(path -> path.getFileName().toString().matches("[0-9]+") && Files.isRegularFile(path))
          .sorted(Comparator.comparing(path -> path.getFileName().toString()))
          .toList();
    }
  }

  /**
   * Reads a block's {@code meta.json} from the bucket.
   *
   * @param id the block
   * @return the meta
   * @throws ObjectNotFoundException if the block has no {@code meta.json} (missing, partial, or being deleted)
   * @throws CorruptBlockException if it does not parse
   * @throws IOException if reading fails
   */
  public BlockMeta readMeta(Ulid id) throws IOException {
    String key = metaKey(id);
    BlockMeta meta = BlockMeta.parse(bucket.readAllBytes(key), bucket.name() + "/" + key);
    if (!meta.ulid().equals(id)) {
      throw new CorruptBlockException(bucket.name() + "/" + key, -1, "ulid " + meta.ulid()
          + " does not match the block directory " + id);
    }
    return meta;
  }

  /**
   * Downloads a block into {@code <parentDir>/<ULID>/}: {@code meta.json}, {@code index} and {@code chunks/*}. The
   * files are written into a temporary sibling directory first and renamed when complete and checked.
   *
   * @param id the block
   * @param parentDir where the block directory is created
   * @return the block directory
   * @throws FileAlreadyExistsException if the block directory exists
   * @throws CorruptBlockException if a downloaded file's size differs from {@code thanos.files}
   * @throws IOException if reading or writing fails
   */
  public Path download(Ulid id, Path parentDir) throws IOException {
    Path target = parentDir.resolve(id.toString());
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    BlockMeta meta = readMeta(id);
    Path temp = parentDir.resolve(id + ".tmp-for-download");
    BlockDirectory.delete(temp);
    Files.createDirectories(temp.resolve(CHUNKS_DIRECTORY));
    try {
      List<String> objects = new ArrayList<>();
      objects.add(INDEX_FILE);
      for (String key : bucket.list(id + "/" + CHUNKS_DIRECTORY, IterOptions.RECURSIVE)) {
        objects.add(key.substring(id.toString().length() + 1));
      }
      for (String relPath : objects) {
        try (InputStream in = bucket.get(id + "/" + relPath)) {
          Files.copy(in, temp.resolve(relPath), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      checkSizes(meta, temp);
      Files.writeString(temp.resolve(META_FILE), meta.toJson(), StandardCharsets.UTF_8);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException | RuntimeException e) {
      try {
        BlockDirectory.delete(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void checkSizes(BlockMeta meta, Path dir) throws IOException {
    if (meta.thanos() == null) {
      return;
    }
    for (BlockMeta.ThanosFile file : meta.thanos().files()) {
      if (file.relPath().equals(META_FILE)) {
        continue;
      }
      Path local = dir.resolve(file.relPath());
      if (!Files.exists(local)) {
        throw new CorruptBlockException(bucket.name() + "/" + meta.ulid() + "/" + file.relPath(), -1,
            "listed in thanos.files but missing from the bucket");
      }
      long size = Files.size(local);
      if (size != file.sizeBytes()) {
        throw new CorruptBlockException(bucket.name() + "/" + meta.ulid() + "/" + file.relPath(), -1,
            "size mismatch: expected " + file.sizeBytes() + " bytes (thanos.files), actual " + size);
      }
    }
  }

  /**
   * Checks a block in the bucket without downloading it: {@code meta.json} parses and names this ULID, the index
   * and every file of {@code thanos.files} (or of {@code segment_files}) exist with the recorded sizes.
   *
   * @param id the block
   * @return the problems found, one line each; empty when the block is sound
   * @throws IOException if the bucket cannot be read
   */
  public List<String> verify(Ulid id) throws IOException {
    List<String> problems = new ArrayList<>();
    BlockMeta meta;
    try {
      meta = readMeta(id);
    } catch (ObjectNotFoundException e) {
      problems.add(id + ": no meta.json (partial upload, or deletion in progress)");
      return problems;
    } catch (CorruptBlockException e) {
      problems.add(id + ": " + e.getMessage());
      return problems;
    }
    if (!bucket.exists(id + "/" + INDEX_FILE)) {
      problems.add(id + ": index missing");
    }
    if (meta.thanos() == null) {
      problems.add(id + ": meta.json has no thanos section");
      return problems;
    }
    List<BlockMeta.ThanosFile> files = meta.thanos().files();
    if (files.isEmpty()) {
      for (String segment : meta.thanos().segmentFiles()) {
        files = new ArrayList<>(files);
        files.add(new BlockMeta.ThanosFile(CHUNKS_DIRECTORY + "/" + segment, -1, null));
      }
    }
    for (BlockMeta.ThanosFile file : files) {
      if (file.relPath().equals(META_FILE)) {
        continue;
      }
      try {
        ObjectAttributes attributes = bucket.attributes(id + "/" + file.relPath());
        if (file.sizeBytes() > 0 && attributes.sizeBytes() != file.sizeBytes()) {
          problems.add(id + "/" + file.relPath() + ": size mismatch: expected " + file.sizeBytes()
              + " bytes (thanos.files), actual " + attributes.sizeBytes());
        }
      } catch (ObjectNotFoundException e) {
        problems.add(id + "/" + file.relPath() + ": missing");
      }
    }
    return problems;
  }

  /**
   * Deletes a block: {@code meta.json} first so that readers stop seeing it, then every other object, then {@code
   * deletion-mark.json} (FORMATS.md 6.3). Repeating a deletion that was interrupted finishes it.
   *
   * @param id the block
   * @throws IOException if listing or deleting fails; the block is then partly deleted and invisible
   */
  public void delete(Ulid id) throws IOException {
    bucket.delete(metaKey(id));
    List<String> keys = bucket.list(id.toString(), IterOptions.RECURSIVE);
    String mark = deletionMarkKey(id);
    for (String key : keys) {
      if (!key.equals(mark)) {
        bucket.delete(key);
      }
    }
    bucket.delete(mark);
  }

  /**
   * Marks a block for deletion, unless it is marked already (Thanos' {@code MarkForDeletion}).
   *
   * @param id the block
   * @param details free text for the marker
   * @return whether a new mark was written
   * @throws ObjectNotFoundException if the block has no {@code meta.json}
   * @throws IOException if the bucket cannot be read or written
   */
  public boolean markForDeletion(Ulid id, String details) throws IOException {
    if (!bucket.exists(metaKey(id))) {
      throw new ObjectNotFoundException(bucket.name(), metaKey(id));
    }
    if (bucket.exists(deletionMarkKey(id))) {
      LOG.info("block {} is already marked for deletion", id);
      return false;
    }
    bucket.upload(deletionMarkKey(id), new DeletionMark(id, details, now()).toJson());
    return true;
  }

  /**
   * Marks a block so that the compactor leaves it alone, unless it is marked already.
   *
   * @param id the block
   * @param reason Thanos' reason, for example {@link NoCompactMark#MANUAL}
   * @param details free text for the marker
   * @return whether a new mark was written
   * @throws ObjectNotFoundException if the block has no {@code meta.json}
   * @throws IOException if the bucket cannot be read or written
   */
  public boolean markNoCompact(Ulid id, String reason, String details) throws IOException {
    if (!bucket.exists(metaKey(id))) {
      throw new ObjectNotFoundException(bucket.name(), metaKey(id));
    }
    if (bucket.exists(noCompactMarkKey(id))) {
      return false;
    }
    bucket.upload(noCompactMarkKey(id), new NoCompactMark(id, reason, details, now()).toJson());
    return true;
  }

  /**
   * Reads a block's deletion mark.
   *
   * @param id the block
   * @return the mark, or {@code null} if the block is not marked
   * @throws CorruptBlockException if the mark does not parse
   * @throws IOException if reading fails
   */
  public @Nullable DeletionMark deletionMark(Ulid id) throws IOException {
    try {
      return DeletionMark.parse(bucket.readAllBytes(deletionMarkKey(id)), deletionMarkKey(id));
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }

  /**
   * Reads a block's no-compact mark.
   *
   * @param id the block
   * @return the mark, or {@code null} if the block is not marked
   * @throws CorruptBlockException if the mark does not parse
   * @throws IOException if reading fails
   */
  public @Nullable NoCompactMark noCompactMark(Ulid id) throws IOException {
    try {
      return NoCompactMark.parse(bucket.readAllBytes(noCompactMarkKey(id)), noCompactMarkKey(id));
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
