package dev.orrery.core.chunk;

/**
 * Iterates one series' samples across a list of non-overlapping chunks in time order, restricted to {@code [mint,
 * maxt]}: chunks that end before {@code mint} are skipped without being opened, each other chunk is opened only when
 * reached (handed the iterator of the chunk before it for reuse), and iteration stops at the first sample after {@code
 * maxt}. Subclasses say where the chunks are: how many, their time ranges and how to open one; they may also hide
 * deleted samples. {@link #appendFloats} copies whole runs from each chunk's decoder.
 *
 * <p>Confined to one thread; re-usable through {@link #restart}.
 */
public abstract class ClippedChunkSequence extends ChunkSequenceIterator {
  private long mint;
  private long maxt;
  private int chunkIndex;
  private SampleIterator spare;
  private ValueType curType = ValueType.NONE;
  private boolean exhausted;

  /** A sequence that is exhausted until {@link #restart} is called. */
  protected ClippedChunkSequence() {
    exhausted = true;
  }

  /**
   * Starts over at the first of the subclass' chunks, restricted to {@code [mint, maxt]} (inclusive). The iterator of
   * the chunk in use, if any, is kept for reuse.
   */
  protected final void restart(long mint, long maxt) {
    this.mint = mint;
    this.maxt = maxt;
    this.chunkIndex = -1;
    if (current != null) {
      spare = current;
    }
    this.current = null;
    this.curType = ValueType.NONE;
    this.exhausted = false;
  }

  /** Number of chunks. */
  protected abstract int chunkCount();

  /** Time of the first sample of chunk {@code i}. */
  protected abstract long chunkMinTime(int i);

  /** Time of the last sample of chunk {@code i}. */
  protected abstract long chunkMaxTime(int i);

  /**
   * The samples of chunk {@code i}, positioned before the first.
   *
   * @param spare an iterator of an earlier chunk that is no longer used, to reuse if it fits; may be {@code null}
   */
  protected abstract SampleIterator openChunk(int i, SampleIterator spare);

  /** Whether the sample at {@code t} is deleted (tombstones); none are unless a subclass says so. */
  protected boolean isDeleted(long t) {
    return false;
  }

  /** Whether {@link #isDeleted} can be true at all; when not, {@link #appendFloats} copies whole runs. */
  protected boolean hasDeletions() {
    return false;
  }

  private boolean openNextChunk() {
    int n = chunkCount();
    int i = chunkIndex + 1;
    while (i < n && chunkMaxTime(i) < mint) {
      i++;
    }
    chunkIndex = i;
    if (i >= n || chunkMinTime(i) > maxt) {
      return false;
    }
    current = openChunk(i, spare);
    spare = null;
    return true;
  }

  private void dropChunk() {
    spare = current;
    current = null;
  }

  @Override
  public final ValueType next() {
    if (exhausted) {
      return ValueType.NONE;
    }
    while (true) {
      ValueType vt;
      if (current == null) {
        if (!openNextChunk()) {
          return done();
        }
        // Only the first chunks can start before mint; seek skips their early samples.
        vt = chunkMinTime(chunkIndex) < mint ? current.seek(mint) : current.next();
      } else {
        vt = current.next();
      }
      if (vt == ValueType.NONE) {
        dropChunk();
        continue;
      }
      long t = current.atT();
      if (t > maxt) {
        return done();
      }
      if (!isDeleted(t)) {
        curType = vt;
        return vt;
      }
    }
  }

  @Override
  public final ValueType appendFloats(FloatSamples out, long maxT) {
    if (exhausted || current == null || hasDeletions()) {
      return super.appendFloats(out, maxT);
    }
    long limit = Math.min(maxT, this.maxt);
    while (true) {
      ValueType vt = current.appendFloats(out, limit);
      if (vt == ValueType.NONE) {
        // The chunk is used up: the next one opens through next(), which also applies mint.
        dropChunk();
        vt = next();
        if (vt != ValueType.FLOAT || current.atT() > maxT) {
          return vt;
        }
        out.add(current.atT(), current.atV());
        continue;
      }
      if (current.atT() > this.maxt) {
        return done();
      }
      curType = vt;
      return vt;
    }
  }

  @Override
  public final ValueType seek(long t) {
    if (exhausted) {
      return ValueType.NONE;
    }
    if (curType != ValueType.NONE && current != null && current.atT() >= t) {
      return curType;
    }
    long target = Math.max(t, mint);
    if (current != null && chunkMaxTime(chunkIndex) < target) {
      dropChunk();
    }
    if (current == null) {
      // Skip whole chunks that end before the target without opening them.
      int n = chunkCount();
      while (chunkIndex + 1 < n && chunkMaxTime(chunkIndex + 1) < target) {
        chunkIndex++;
      }
      if (!openNextChunk()) {
        return done();
      }
    }
    ValueType vt = current.seek(target);
    if (vt == ValueType.NONE) {
      dropChunk();
      return next();
    }
    long ts = current.atT();
    if (ts > maxt) {
      return done();
    }
    if (isDeleted(ts)) {
      return next();
    }
    curType = vt;
    return vt;
  }

  private ValueType done() {
    exhausted = true;
    curType = ValueType.NONE;
    return ValueType.NONE;
  }
}
