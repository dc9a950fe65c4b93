package dev.orrery.core.chunk;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes up to {@value #LANES} XOR chunks at once, for readers that need every sample of many chunks: a series'
 * chunks one after another, or the chunks of many series. Chunks are independent streams, so with 512-bit vectors
 * (the {@code jdk.incubator.vector} module, added with {@code --add-modules jdk.incubator.vector}, on a CPU with
 * AVX-512) each chunk takes a lane and all are decoded in one loop without data-dependent branches; that costs the same
 * per sample whatever the data, where the one-chunk decoder is slowed by value codes it cannot predict. The loop runs
 * eight or sixteen lanes, so calls with sixteen chunks (or eight) use it best, and calls with fewer than
 * {@value #MIN_VECTOR_LANES} do not use it. Without vectors, or for a chunk the vector loop does not decode (the scrape
 * interval changing by more than 65 s inside it, corruption), each chunk goes through the one-chunk decoder: the
 * results, and the errors, are the same either way. The vector code needs the JIT to compile it before it is fast
 * (0.6-0.9 s of warm-up per JVM as measured in the README), so it suits long-running processes and large jobs.
 *
 * <p>A corrupt chunk does not fail the others: its lane holds the samples before the corruption and
 * {@link #error(int)} the exception that the one-chunk decoder raises there.
 *
 * <p>Confined to one thread; reusable.
 */
public final class XorChunkLanes {
  /** Most chunks decoded at once. */
  public static final int LANES = XorLaneState.LANES;
  private static final Logger LOG = LoggerFactory.getLogger(XorChunkLanes.class);
  /** Whether the Vector API is there: the incubator module is in the JVM and the kernel links. */
  private static final boolean VECTOR_API = detectVectorApi();
  /** Whether vectors are also fast here: the CPU runs 512-bit vectors natively. */
  private static final boolean VECTORIZED = VECTOR_API && XorLaneKernel.supported();
  /**
   * Fewest chunks the vector loop takes: it runs eight lanes whatever the number used, and with fewer than this the
   * one-chunk decoder is as fast.
   */
  static final int MIN_VECTOR_LANES = 7;

  private final boolean useVectors;
  private final XorLaneState state = new XorLaneState();
  private final int[] counts = new int[LANES];
  private final CorruptChunkException[] errors = new CorruptChunkException[LANES];
  private final BitReader reader = new BitReader();
  private final int[] window = new int[2];
  private final XorIterator scalar = new XorIterator();
  /** The stream being laid out as words, with zeros after it. */
  private byte[] streamBytes = new byte[1024];
  private int lanes;
  /** Lanes the last {@link #decode} took through the vector loop (for tests). */
  private int vectorLanes;

  /** A decoder that uses vectors when {@link #vectorized()}. */
  public XorChunkLanes() {
    this(VECTORIZED);
  }

  /**
   * A decoder that uses vectors when asked and the Vector API is there, even on a CPU where they are slow (the API
   * then computes lane by lane): tests run the vector loop on any machine and compare it with the one-chunk decoder.
   */
  XorChunkLanes(boolean useVectors) {
    this.useVectors = useVectors && VECTOR_API;
  }

  /** Whether the vector loop is in use: see {@link #XorChunkLanes(boolean)}. */
  boolean usesVectors() {
    return useVectors;
  }

  /** Whether this JVM decodes with vectors: the incubator module is present and the CPU has 512-bit vectors. */
  public static boolean vectorized() {
    return VECTORIZED;
  }

  private static boolean detectVectorApi() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      XorLaneKernel.supported();
      return true;
    } catch (LinkageError e) {
      LOG.debug("vector decoding unavailable", e);
      return false;
    }
  }

  /** Decodes {@code chunks}, at most {@value #LANES} XOR chunks; lane {@code i} holds chunk {@code i}. */
  public void decode(List<? extends Chunk> chunks) {
    if (chunks.size() > LANES) {
      throw new IllegalArgumentException(chunks.size() + " chunks, at most " + LANES);
    }
    lanes = chunks.size();
    int capacity = 0;
    int maxCount = 0;
    for (int lane = 0; lane < lanes; lane++) {
      if (!(chunks.get(lane) instanceof XorChunk chunk)) {
        throw new IllegalArgumentException("lane " + lane + ": not an XOR chunk: " + chunks.get(lane));
      }
      int n = plausibleCount(chunk);
      capacity = Math.max(capacity, n);
      if (n == chunk.numSamples()) {
        maxCount = Math.max(maxCount, n);
      }
    }
    ensureCapacity(capacity);
    Arrays.fill(errors, null);
    Arrays.fill(counts, 0);
    int redo = useVectors && lanes >= MIN_VECTOR_LANES ? decodeVectors(chunks, maxCount) : (1 << lanes) - 1;
    vectorLanes = lanes - Integer.bitCount(redo);
    for (int lane = 0; lane < lanes; lane++) {
      XorChunk chunk = (XorChunk) chunks.get(lane);
      if ((redo & (1 << lane)) != 0) {
        decodeScalar(lane, chunk);
      } else {
        counts[lane] = chunk.numSamples();
      }
    }
  }

  /**
   * The most samples the chunk's stream can hold, at most its count: after the first two, a sample takes at least two
   * bits.
   */
  private static int plausibleCount(XorChunk chunk) {
    long bytes = chunk.byteLength() - XorChunk.HEADER_BYTES;
    return (int) Math.min(chunk.numSamples(), 2 + 4 * bytes);
  }

  /** Runs the vector loop over the lanes; returns a bit mask of the lanes left for the scalar decoder. */
  private int decodeVectors(List<? extends Chunk> chunks, int maxCount) {
    XorLaneState s = state;
    // Lanes sent back to position 0 decode zeros from there, two bits a sample.
    int zeroWords = (maxCount >>> 4) + 5;
    int base = zeroWords;
    ensureWords(base);
    Arrays.fill(s.words, 0, zeroWords, 0);
    int redo = 0;
    for (int lane = 0; lane < LANES; lane++) {
      int next = lane < lanes ? startLane(lane, (XorChunk) chunks.get(lane), base, maxCount) : -1;
      if (next < 0) {
        parkLane(lane);
        redo |= 1 << lane;
      } else {
        base = next;
      }
    }
    // A corrupt stream the loop does not recognise may run ahead of its words by up to 97 bits a sample.
    ensureWords(base + 4 * maxCount + 8);
    return (redo | XorLaneKernel.decode(s, maxCount, lanes)) & ((1 << lanes) - 1);
  }

  /**
   * Lays the lane's stream out as words from {@code base}, decodes its first two samples and sets its state; returns
   * the word after its words, or -1 when the lane is for the scalar decoder (fewer than three samples, more than its
   * stream can hold, or first two samples that do not decode).
   */
  private int startLane(int lane, XorChunk chunk, int base, int maxCount) {
    int n = chunk.numSamples();
    if (n < 3 || n != plausibleCount(chunk)) {
      return -1;
    }
    int length = chunk.byteLength() - XorChunk.HEADER_BYTES;
    // The stream, the 97 bits a sample may read past its position, and the zeros it decodes after its last sample.
    int words = (length + 3) / 4 + 4 + ((maxCount - n) >>> 4);
    ensureWords(base + words + 8);
    XorLaneState s = state;
    fillWords(chunk.data, length, s.words, base, words);
    BitReader r = reader.wrap(streamBytes, length, chunk.resource, chunk.fileOffset(XorChunk.HEADER_BYTES));
    try {
      long t = r.readVarint();
      long vBits = r.readBits(64);
      s.times[lane] = t;
      s.valueBits[lane] = vBits;
      t += r.readUvarint();
      window[0] = 0;
      window[1] = 0;
      vBits = r.readXorValue(vBits, window, 0);
      s.times[LANES + lane] = t;
      s.valueBits[LANES + lane] = vBits;
    } catch (CorruptChunkException e) {
      return -1;
    }
    if (r.overrun()) {
      return -1;
    }
    long origin = (long) base << 5;
    s.pos[lane] = origin + r.position();
    s.start[lane] = origin;
    s.limit[lane] = origin + ((long) length << 3) + 2L * (maxCount - n);
    s.sizeLessOne[lane] = 63 - window[0] - window[1];
    s.trailing[lane] = window[1];
    return base + words;
  }

  /** A lane the vector loop passes over, reading the zero words. */
  private void parkLane(int lane) {
    XorLaneState s = state;
    s.pos[lane] = 0;
    s.start[lane] = 0;
    s.limit[lane] = Long.MAX_VALUE;
    s.sizeLessOne[lane] = 63;
    s.trailing[lane] = 0;
  }

  private void ensureWords(int words) {
    XorLaneState s = state;
    if (s.words.length < words) {
      s.words = Arrays.copyOf(s.words, Math.max(words, s.words.length * 2));
    }
  }

  /** Copies the stream into {@link #streamBytes}, zeros after it, and lays it out as words from {@code base}. */
  private void fillWords(ByteBuffer data, int length, long[] out, int base, int words) {
    int size = 4 * words + 64;
    byte[] bytes = streamBytes;
    if (bytes.length < size) {
      bytes = streamBytes = new byte[Math.max(size, 2 * bytes.length)];
    }
    data.get(XorChunk.HEADER_BYTES, bytes, 0, length);
    Arrays.fill(bytes, length, size, (byte) 0);
    XorLaneKernel.fillWords(bytes, out, base, words);
  }

  private void decodeScalar(int lane, XorChunk chunk) {
    XorLaneState s = state;
    XorIterator it = scalar;
    int k = 0;
    try {
      it.reset(chunk);
      while (it.next() == ValueType.FLOAT) {
        s.times[k * LANES + lane] = it.atT();
        s.valueBits[k * LANES + lane] = it.atVBits();
        k++;
      }
    } catch (CorruptChunkException e) {
      errors[lane] = e;
    }
    counts[lane] = k;
  }

  private void ensureCapacity(int samples) {
    XorLaneState s = state;
    if (s.times.length < samples * LANES) {
      int size = Math.max(samples, s.times.length / LANES * 2) * LANES;
      s.times = new long[size];
      s.valueBits = new long[size];
    }
  }

  int vectorLanes() {
    return vectorLanes;
  }

  /** Chunks decoded by the last {@link #decode}. */
  public int lanes() {
    return lanes;
  }

  /** Samples decoded in the lane: all of its chunk's, or those before the corruption {@link #error} names. */
  public int count(int lane) {
    checkLane(lane);
    return counts[lane];
  }

  /** Timestamp of sample {@code i} of the lane. */
  public long time(int lane, int i) {
    return state.times[index(lane, i)];
  }

  /** Value of sample {@code i} of the lane. */
  public double value(int lane, int i) {
    return Double.longBitsToDouble(valueBits(lane, i));
  }

  /** Raw IEEE-754 bits of the value of sample {@code i} of the lane (stale markers bit for bit). */
  public long valueBits(int lane, int i) {
    return state.valueBits[index(lane, i)];
  }

  /** What stopped the lane's chunk from decoding to its end, or null when it decoded. */
  public CorruptChunkException error(int lane) {
    checkLane(lane);
    return errors[lane];
  }

  /**
   * The lane's samples as an iterator, which, like the chunk's own, throws the lane's {@link #error} after the samples
   * before it. Valid until the next {@link #decode}.
   */
  public SampleIterator iterator(int lane) {
    checkLane(lane);
    return new LaneIterator(lane);
  }

  /** Appends the lane's samples to {@code out}; returns how many. */
  public int appendFloats(int lane, FloatSamples out) {
    int n = count(lane);
    out.ensureRoom(n);
    long[] times = state.times;
    long[] valueBits = state.valueBits;
    long[] ts = out.ts;
    double[] values = out.values;
    int at = out.count;
    for (int i = 0, from = lane; i < n; i++, from += LANES) {
      ts[at + i] = times[from];
      values[at + i] = Double.longBitsToDouble(valueBits[from]);
    }
    out.count = at + n;
    return n;
  }

  /** Where sample {@code i} of the lane is; lanes past {@link #lanes} hold no samples. */
  private int index(int lane, int i) {
    return Objects.checkIndex(i, counts[lane]) * LANES + lane;
  }

  private void checkLane(int lane) {
    if (lane < 0 || lane >= lanes) {
      throw new IndexOutOfBoundsException("lane " + lane + " of " + lanes);
    }
  }

  /** One lane's samples, read in place. */
  private final class LaneIterator implements FloatSampleIterator {
    private final int lane;
    private final int count;
    private int i = -1;

    LaneIterator(int lane) {
      this.lane = lane;
      this.count = counts[lane];
    }

    @Override
    public ValueType next() {
      if (i < count) {
        i++;
      }
      if (i < count) {
        return ValueType.FLOAT;
      }
      if (errors[lane] != null) {
        throw errors[lane];
      }
      return ValueType.NONE;
    }

    @Override
    public ValueType seek(long t) {
      if (i < 0) {
        i = 0;
      }
      while (i < count && time(lane, i) < t) {
        i++;
      }
      if (i == count && errors[lane] != null) {
        throw errors[lane];
      }
      return i < count ? ValueType.FLOAT : ValueType.NONE;
    }

    @Override
    public long atT() {
      return time(lane, i);
    }

    @Override
    public double atV() {
      return value(lane, i);
    }
  }
}
