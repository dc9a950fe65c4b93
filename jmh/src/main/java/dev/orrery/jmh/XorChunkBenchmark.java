package dev.orrery.jmh;

import dev.orrery.core.block.Block;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.chunk.XorChunkLanes;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.Postings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * XOR chunk encode and decode cost per sample, on realistic scrape data: 15 s intervals with 0-24 ms jitter, 120
 * samples per chunk (Prometheus' default), counters and gauges with short decimals. Each invocation handles
 * {@value #CHUNKS} chunks of {@value #SAMPLES} samples, so the score is ns per sample. The chunks come from a pool of
 * {@link #pool} chunks, each invocation taking the next {@value #CHUNKS}: with 64 every invocation repeats the same
 * samples (cache-resident, and branch predictors partly learn them); with 1,024 a cycle is 122,880 samples. The
 * decode benchmarks read every timestamp and value and add them up as integers (raw bits for values): a floating-point
 * sum would chain its add latency, close to the cost of decoding a sample, through every sample.
 *
 * <p>The {@code harness} kind takes its chunks from a real block instead: full chunks of series spread evenly over a
 * promtool-made block of the harness data set (every metric family in its share). The block is the oldest under {@code -Dorrery.jmh.harness.blocks}
 * (default {@value #DEFAULT_HARNESS_BLOCKS}, where {@code REF_WORK=/var/tmp/promref-20k SCALE=12 HOURS=24
 * ../shared/harness/start_reference.sh} writes them).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// The Vector API module, so that XorChunkLanes decodes with vectors.
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class XorChunkBenchmark {
  static final int SAMPLES = 120;
  static final int CHUNKS = 64;
  static final String HARNESS_BLOCKS_PROPERTY = "orrery.jmh.harness.blocks";
  static final String DEFAULT_HARNESS_BLOCKS = "/var/tmp/promref-20k/blocks";

  /**
   * {@code counter}: monotonic with short decimal increments (a quarter of the scrapes unchanged); {@code gauge}:
   * 2-decimal values that wander; {@code constant}: the same value every scrape (many real series, e.g. {@code up});
   * {@code harness}: chunks of a real block (see the class comment).
   */
  @Param({"counter", "gauge", "constant", "harness"})
  public String kind;

  private long[][] times;
  private double[][] values;
  /** Chunks in the pool, a multiple of {@value #CHUNKS}. */
  @Param({"64", "1024"})
  public int pool;

  /** The chunks and their samples; each invocation takes the {@value #CHUNKS} from {@link #next}, cyclically. */
  private Chunk[] chunks;
  private int next;
  private XorAppender appender;
  private SampleIterator iterator;
  private final FloatSamples bulk = new FloatSamples();
  private final XorChunkLanes lanes = new XorChunkLanes();
  private List<Chunk> chunkList;

  @Setup
  public void setUp() throws IOException {
    appender = new XorAppender();
    if (kind.equals("harness")) {
      loadHarnessChunks();
    } else {
      generate();
    }
    chunkList = List.of(chunks);
  }

  private void generate() {
    SplittableRandom random = new SplittableRandom(42);
    times = new long[pool][SAMPLES];
    values = new double[pool][SAMPLES];
    chunks = new Chunk[pool];
    long t = 1_700_000_000_000L;
    double counter = 0;
    double gauge = 50;
    for (int c = 0; c < pool; c++) {
      for (int i = 0; i < SAMPLES; i++) {
        long scrape = t + random.nextInt(25);
        t += 15_000;
        times[c][i] = scrape;
        if (kind.equals("counter")) {
          counter += random.nextInt(4) == 0 ? 0 : random.nextInt(1, 40) * 0.5;
          values[c][i] = counter;
        } else if (kind.equals("constant")) {
          values[c][i] = 1;
        } else {
          gauge = Math.round((gauge + random.nextInt(-300, 301) / 100.0) * 100) / 100.0;
          values[c][i] = gauge;
        }
      }
      XorAppender a = new XorAppender();
      for (int i = 0; i < SAMPLES; i++) {
        a.append(times[c][i], values[c][i]);
      }
      chunks[c] = a.toChunk();
    }
  }

  private void loadHarnessChunks() throws IOException {
    Path blocks = Path.of(System.getProperty(HARNESS_BLOCKS_PROPERTY, DEFAULT_HARNESS_BLOCKS));
    Path dir;
    try (Stream<Path> list = Files.list(blocks)) {
      dir = list.filter(d -> Files.isRegularFile(d.resolve("meta.json"))).sorted().findFirst()
          .orElseThrow(() -> new IOException("no block under " + blocks));
    } catch (NoSuchFileException e) {
      throw new IOException("no harness blocks at " + blocks + ": build them with ../shared/harness/start_reference.sh"
          + " or point -D" + HARNESS_BLOCKS_PROPERTY + " at a directory of blocks", e);
    }
    try (Block block = Block.open(dir)) {
      long[] refs = Postings.expand(block.index().allPostings());
      chunks = new Chunk[pool];
      times = new long[pool][];
      values = new double[pool][];
      ChunkMetas metas = new ChunkMetas();
      for (int i = 0; i < pool; i++) {
        // From series i * stride onwards: the first full XOR chunk, copied to the heap like the generated ones.
        Chunk chunk = null;
        for (int s = (int) ((long) i * refs.length / pool); s < refs.length && chunk == null; s++) {
          chunk = firstFullXorChunk(block, refs[s], metas);
        }
        if (chunk == null) {
          throw new IOException(dir + ": fewer than " + pool + " full XOR chunks");
        }
        chunks[i] = chunk;
        times[i] = new long[SAMPLES];
        values[i] = new double[SAMPLES];
        SampleIterator it = chunk.iterator(null);
        for (int k = 0; it.next() == ValueType.FLOAT; k++) {
          times[i][k] = it.atT();
          values[i][k] = it.atV();
        }
      }
    }
  }

  /** A heap copy of the series' first XOR chunk of {@value #SAMPLES} samples, or null if it has none. */
  private static Chunk firstFullXorChunk(Block block, long seriesRef, ChunkMetas metas) {
    block.index().series(seriesRef, metas.clear());
    for (int c = 0; c < metas.size(); c++) {
      Chunk chunk = block.chunks().chunk(metas.ref(c));
      if (chunk.encoding() == ChunkEncoding.XOR && chunk.numSamples() == SAMPLES) {
        return Chunk.of(ChunkEncoding.XOR, ByteBuffer.allocate(chunk.bytes().remaining()).put(chunk.bytes()).flip());
      }
    }
    return null;
  }

  /** The pool index of this invocation's first chunk; advances the rotation. */
  private int firstChunk() {
    int first = next;
    next = (first + CHUNKS) % chunks.length;
    return first;
  }

  @Benchmark
  @OperationsPerInvocation(CHUNKS * SAMPLES)
  public void encode(Blackhole bh) {
    XorAppender a = appender;
    int first = firstChunk();
    for (int c = first; c < first + CHUNKS; c++) {
      long[] ts = times[c];
      double[] vs = values[c];
      a.reset();
      for (int i = 0; i < SAMPLES; i++) {
        a.append(ts[i], vs[i]);
      }
      bh.consume(a.byteLength());
    }
  }

  /** {@link #encode} through {@link XorAppender#appendAll}: the same samples and bytes, one call per chunk. */
  @Benchmark
  @OperationsPerInvocation(CHUNKS * SAMPLES)
  public void encodeBulk(Blackhole bh) {
    XorAppender a = appender;
    int first = firstChunk();
    for (int c = first; c < first + CHUNKS; c++) {
      a.reset();
      a.appendAll(times[c], values[c], 0, SAMPLES);
      bh.consume(a.byteLength());
    }
  }

  @Benchmark
  @OperationsPerInvocation(CHUNKS * SAMPLES)
  public void decode(Blackhole bh) {
    long sum = 0;
    int first = firstChunk();
    for (int c = first; c < first + CHUNKS; c++) {
      SampleIterator it = chunks[c].iterator(iterator);
      iterator = it;
      while (it.next() != ValueType.NONE) {
        sum += it.atT() + Double.doubleToRawLongBits(it.atV());
      }
    }
    bh.consume(sum);
  }

  /** {@link #decode} through {@link SampleIterator#appendFloats}: the same samples and sum, copied per chunk. */
  @Benchmark
  @OperationsPerInvocation(CHUNKS * SAMPLES)
  public void decodeBulk(Blackhole bh) {
    FloatSamples out = bulk;
    long sum = 0;
    int first = firstChunk();
    for (int c = first; c < first + CHUNKS; c++) {
      SampleIterator it = chunks[c].iterator(iterator);
      iterator = it;
      out.count = 0;
      it.appendFloats(out, Long.MAX_VALUE);
      sum += sum(out);
    }
    bh.consume(sum);
  }

  /**
   * The same chunks through {@link XorChunkLanes}, {@value XorChunkLanes#LANES} at a time, every sample read once
   * through {@link XorChunkLanes#time} and {@link XorChunkLanes#valueBits} and summed as in {@link #decode}.
   */
  @Benchmark
  @OperationsPerInvocation(CHUNKS * SAMPLES)
  public void decodeLanes(Blackhole bh) {
    XorChunkLanes decoder = lanes;
    long sum = 0;
    int first = firstChunk();
    for (int c = first; c < first + CHUNKS; c += XorChunkLanes.LANES) {
      decoder.decode(chunkList.subList(c, c + XorChunkLanes.LANES));
      for (int lane = 0; lane < XorChunkLanes.LANES; lane++) {
        for (int i = 0, n = decoder.count(lane); i < n; i++) {
          sum += decoder.time(lane, i) + decoder.valueBits(lane, i);
        }
      }
    }
    bh.consume(sum);
  }

  /** {@link #decodeLanes}, each lane copied out through {@link XorChunkLanes#appendFloats} as in {@link #decodeBulk}. */
  @Benchmark
  @OperationsPerInvocation(CHUNKS * SAMPLES)
  public void decodeLanesBulk(Blackhole bh) {
    XorChunkLanes decoder = lanes;
    FloatSamples out = bulk;
    long sum = 0;
    int first = firstChunk();
    for (int c = first; c < first + CHUNKS; c += XorChunkLanes.LANES) {
      decoder.decode(chunkList.subList(c, c + XorChunkLanes.LANES));
      for (int lane = 0; lane < XorChunkLanes.LANES; lane++) {
        out.count = 0;
        decoder.appendFloats(lane, out);
        sum += sum(out);
      }
    }
    bh.consume(sum);
  }

  /** Timestamps and raw value bits added up. */
  private static long sum(FloatSamples samples) {
    long sum = 0;
    long[] ts = samples.ts;
    double[] vs = samples.values;
    for (int i = 0; i < samples.count; i++) {
      sum += ts[i] + Double.doubleToRawLongBits(vs[i]);
    }
    return sum;
  }
}
