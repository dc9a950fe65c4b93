package dev.orrery.storeapi.gateway;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.core.chunk.CorruptChunkException;
import dev.orrery.core.index.IndexReader;
import dev.orrery.core.io.Crc32c;
import dev.orrery.core.labels.Labels;
import dev.orrery.objstore.Bucket;
import dev.orrery.storeapi.WireLabels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One block of the bucket as the store gateway sees it: its meta, its index-header on local disk, and — while it is
 * in use or recently used — an {@link IndexReader} over the remote index ({@link BucketIndexSource}). The reader is
 * loaded lazily by {@link #acquire()} and closed by {@link #unloadIfIdle} when no request has used it for a while, so
 * memory per block is bounded by its index-header. Chunks are read as coalesced byte ranges of the segment files.
 *
 * <p>Thread-safe: any number of requests may hold the block at once; the lock only guards loading and unloading.
 */
final class BucketBlock implements AutoCloseable {
  /** Bytes between two chunks that are read anyway to save a range request. */
  private static final long CHUNK_GAP_BYTES = 64 * 1024;
  private static final int DEFAULT_CHUNK_ESTIMATE = 4096;
  private static final int DEFAULT_SERIES_ESTIMATE = 4096;

  private final BlockMeta meta;
  private final Bucket bucket;
  private final Path dir;
  private final IndexCache cache;
  private final Labels externalLabels;
  private final String prefix;
  private final ReentrantLock lock = new ReentrantLock();
  private IndexHeader header;
  private BucketIndexSource source;
  private IndexReader reader;
  private int leases;
  private long lastUsedNanos;
  private boolean closed;

  BucketBlock(BlockMeta meta, Bucket bucket, Path dir, IndexCache cache) {
    this.meta = meta;
    this.bucket = bucket;
    this.dir = dir;
    this.cache = cache;
    Map<String, String> ext = meta.thanos() == null ? Map.of() : meta.thanos().labels();
    this.externalLabels = WireLabels.toLabels(ext);
    this.prefix = meta.ulid() + "/";
  }

  BlockMeta meta() {
    return meta;
  }

  Ulid id() {
    return meta.ulid();
  }

  Labels externalLabels() {
    return externalLabels;
  }

  long resolution() {
    return meta.thanos() == null ? 0 : meta.thanos().downsampleResolutionMillis();
  }

  /** Builds the index-header on local disk if it is missing (done at sync time so queries do not wait for it). */
  void prepareHeader() throws IOException {
    lock.lock();
    try {
      if (header == null && !closed) {
        IndexHeader.openOrBuild(bucket, prefix + "index", dir).close();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether the index reader is loaded. */
  boolean isLoaded() {
    lock.lock();
    try {
      return reader != null;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes of the index-header file when loaded, else 0. */
  long loadedHeaderBytes() {
    lock.lock();
    try {
      return header == null ? 0 : header.sizeBytes();
    } finally {
      lock.unlock();
    }
  }

  /** Loads the reader if needed and counts a user; pair with {@link #release()}. */
  IndexReader acquire() throws IOException {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("block " + meta.ulid() + " is closed");
      }
      if (reader == null) {
        IndexHeader h = IndexHeader.openOrBuild(bucket, prefix + "index", dir);
        try {
          BucketIndexSource s = new BucketIndexSource(bucket, prefix + "index", h, cache);
          reader = IndexReader.open(s);
          source = s;
          header = h;
        } catch (IOException | RuntimeException e) {
          h.close();
          throw e;
        }
      }
      leases++;
      return reader;
    } finally {
      lock.unlock();
    }
  }

  /** Ends a use started by {@link #acquire()}. */
  void release() {
    lock.lock();
    try {
      leases--;
      lastUsedNanos = System.nanoTime();
    } finally {
      lock.unlock();
    }
  }

  BucketIndexSource source() {
    return source;
  }

  int seriesSizeEstimate() {
    long s = meta.thanos() == null ? 0 : meta.thanos().indexStats().seriesMaxSize();
    return s > 0 && s < (1 << 20) ? (int) s : DEFAULT_SERIES_ESTIMATE;
  }

  /** Closes the reader if no request holds it and it was last used more than {@code idleNanos} ago. */
  boolean unloadIfIdle(long nowNanos, long idleNanos) {
    lock.lock();
    try {
      if (reader == null || leases > 0 || nowNanos - lastUsedNanos < idleNanos) {
        return false;
      }
      unload();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void unload() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      source.close();
      header.close();
      reader = null;
      source = null;
      header = null;
    }
  }

  /**
   * Reads the chunk records {@code refs[0..n)} (ascending) with coalesced range reads, storing each record's data
   * (without encoding byte and CRC) in {@code data} and its encoding byte in {@code encodings}. Data buffers are views
   * of the fetched ranges.
   *
   * @throws CorruptChunkException if a record is malformed or fails its CRC32C
   */
  void readChunks(long[] refs, int n, ByteBuffer[] data, int[] encodings, RequestStats stats) {
    int estimate = chunkSizeEstimate();
    int i = 0;
    while (i < n) {
      int seg = (int) (refs[i] >>> 32);
      long start = refs[i] & 0xFFFFFFFFL;
      int j = i + 1;
      while (j < n && (int) (refs[j] >>> 32) == seg
          && (refs[j] & 0xFFFFFFFFL) - (refs[j - 1] & 0xFFFFFFFFL) <= CHUNK_GAP_BYTES) {
        j++;
      }
      long end = (refs[j - 1] & 0xFFFFFFFFL) + estimate;
      String key = segmentKey(seg);
      byte[] buf = readRange(key, start, end - start, stats);
      for (int k = i; k < j; k++) {
        long off = refs[k] & 0xFFFFFFFFL;
        parseRecord(key, buf, start, off, k, data, encodings, stats);
      }
      i = j;
    }
  }

  private void parseRecord(String key, byte[] buf, long bufStart, long off, int k, ByteBuffer[] data,
      int[] encodings, RequestStats stats) {
    int at = (int) (off - bufStart);
    long len = 0;
    int shift = 0;
    int p = at;
    while (true) {
      if (p >= buf.length) {
        // The record starts near the end of the fetched range: read it on its own.
        byte[] own = readRange(key, off, 5 + 1 + DEFAULT_CHUNK_ESTIMATE, stats);
        parseRecord(key, own, off, off, k, data, encodings, stats);
        return;
      }
      int b = buf[p++] & 0xFF;
      len |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        break;
      }
      shift += 7;
      if (shift > 28) {
        throw new CorruptChunkException(bucket.name() + ":" + key, off, "chunk length varint too long", "> 5 bytes");
      }
    }
    int varintLen = p - at;
    long recordLen = varintLen + 1 + len + 4;
    if (len > Integer.MAX_VALUE - 16) {
      throw new CorruptChunkException(bucket.name() + ":" + key, off, "chunk length out of range", len + " bytes");
    }
    if (at + recordLen > buf.length) {
      byte[] own = readRange(key, off, recordLen, stats);
      if (own.length < recordLen) {
        throw new CorruptChunkException(bucket.name() + ":" + key, off,
            "segment doesn't include enough bytes to read the chunk", "required " + recordLen + ", available "
                + own.length);
      }
      parseRecord(key, own, off, off, k, data, encodings, stats);
      return;
    }
    int encAt = p;
    int dataLen = (int) len;
    int crcAt = encAt + 1 + dataLen;
    int want = ((buf[crcAt] & 0xFF) << 24) | ((buf[crcAt + 1] & 0xFF) << 16) | ((buf[crcAt + 2] & 0xFF) << 8)
        | (buf[crcAt + 3] & 0xFF);
    int got = Crc32c.of(buf, encAt, 1 + dataLen);
    if (want != got) {
      throw new CorruptChunkException(bucket.name() + ":" + key, off, "chunk CRC32C mismatch",
          String.format("expected %08x, actual %08x", want, got));
    }
    encodings[k] = buf[encAt] & 0xFF;
    data[k] = ByteBuffer.wrap(buf, encAt + 1, dataLen).slice().asReadOnlyBuffer();
    stats.chunksTouched(recordLen);
  }

  private byte[] readRange(String key, long offset, long length, RequestStats stats) {
    try (InputStream in = bucket.getRange(key, offset, length)) {
      byte[] b = in.readNBytes((int) length);
      stats.chunksFetched(b.length);
      return b;
    } catch (IOException e) {
      throw new OrreryException(ErrorCode.STORAGE, "reading " + bucket.name() + ":" + key + " at " + offset + " ("
          + length + " bytes): " + e.getMessage(), e);
    }
  }

  private int chunkSizeEstimate() {
    long s = meta.thanos() == null ? 0 : meta.thanos().indexStats().chunkMaxSize();
    return s > 0 && s < (1 << 20) ? (int) s + 16 : DEFAULT_CHUNK_ESTIMATE;
  }

  private String segmentKey(int seg) {
    return prefix + "chunks/" + String.format("%06d", seg + 1);
  }

  /** Unloads the reader and refuses further use. Requests still holding the block finish first in practice. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (reader != null) {
        unload();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "BucketBlock[" + meta.ulid() + ", " + externalLabels + ", res " + resolution() + "]";
  }
}
