package dev.orrery.jmh;

import dev.orrery.core.index.Postings;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Postings set operations over 2–3 lists of {@code size} refs each (each ref of {@code [0, 2 * size)} is in a list
 * with probability 1/2, so two lists share about half their refs). {@code kind} is the list representation: a
 * {@code long[]} or the lazy big-endian view over a direct buffer, as the index reader returns from a mapped file.
 * {@code intersectSkewed} intersects a list of {@code size / 100} refs with the others, where seeking skips most of
 * the long lists.
 *
 * <p>Reported as ns/op; ns per posting is ns/op divided by the input refs ({@code lists × size}, or
 * {@code size / 100 + (lists - 1) × size} for the skewed case). Run:
 * {@code java -jar jmh/target/benchmarks.jar Postings -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PostingsBenchmark {
  @Param({"10000", "1000000"})
  int size;

  @Param({"2", "3"})
  int lists;

  @Param({"array", "bigEndian"})
  String kind;

  private long[][] refs;
  private long[] shortList;
  private ByteBuffer[] buffers;
  private ByteBuffer shortBuffer;

  @Setup
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(42);
    refs = new long[lists][];
    buffers = new ByteBuffer[lists];
    for (int l = 0; l < lists; l++) {
      refs[l] = randomList(rnd, 2L * size, 0.5);
      buffers[l] = encode(refs[l]);
    }
    shortList = randomList(rnd, 2L * size, 0.005);
    shortBuffer = encode(shortList);
  }

  private static long[] randomList(SplittableRandom rnd, long universe, double p) {
    long[] out = new long[(int) (universe * p * 1.2) + 16];
    int n = 0;
    for (long r = 0; r < universe; r++) {
      if (rnd.nextDouble() < p) {
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = r;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static ByteBuffer encode(long[] list) {
    ByteBuffer b = ByteBuffer.allocateDirect(list.length * 4);
    for (long r : list) {
      b.putInt((int) r);
    }
    return b;
  }

  private Postings cursor(int l) {
    return "array".equals(kind) ? Postings.of(refs[l]) : Postings.bigEndian(buffers[l], 0, refs[l].length);
  }

  private Postings shortCursor() {
    return "array".equals(kind) ? Postings.of(shortList) : Postings.bigEndian(shortBuffer, 0, shortList.length);
  }

  private Postings[] all() {
    Postings[] ps = new Postings[lists];
    for (int l = 0; l < lists; l++) {
      ps[l] = cursor(l);
    }
    return ps;
  }

  private static long drain(Postings p) {
    long sum = 0;
    while (p.next()) {
      sum += p.at();
    }
    return sum;
  }

  @Benchmark
  public long intersect() {
    return drain(Postings.intersect(all()));
  }

  @Benchmark
  public long intersectSkewed() {
    Postings[] ps = all();
    ps[0] = shortCursor();
    return drain(Postings.intersect(ps));
  }

  @Benchmark
  public long merge() {
    return drain(Postings.merge(all()));
  }
}
