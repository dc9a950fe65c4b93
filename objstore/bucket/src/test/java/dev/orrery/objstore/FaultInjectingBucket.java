package dev.orrery.objstore;

import static java.util.Objects.requireNonNull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A test wrapper that makes a seeded random share of calls fail or stall, to check that callers (the shipper, the
 * meta fetcher, {@link RetryingBucket}) survive an unreliable store. For one seed the sequence of decisions is fixed,
 * though which call gets which decision depends on thread scheduling when calls are concurrent.
 *
 * <p>Faults, all {@link RetryableBucketException}s except the simulated crash:
 * <ul>
 *   <li>{@link Fault#BEFORE}: the call fails without reaching the store.
 *   <li>{@link Fault#AFTER}: the call reaches the store (an upload or delete takes effect), then fails, as when the
 *       response is lost.
 *   <li>{@link Fault#MID_STREAM}: a read stream fails part-way; an upload consumes part of its body and fails
 *       without storing anything.
 * </ul>
 * {@link Builder#crashAfterUploads(int)} makes every upload after the n-th throw {@link SimulatedCrash}, an
 * unchecked error that no bucket client would catch, standing in for a process that is killed mid-upload.
 *
 * <p>Thread-safe. Owns the delegate.
 */
public final class FaultInjectingBucket extends ForwardingBucket {
  /** The kinds of injected failure. */
  public enum Fault {
    /** Fails before the store is reached. */
    BEFORE,
    /** Fails after the store carried out the call. */
    AFTER,
    /** Fails part-way through the data. */
    MID_STREAM
  }

  /** Stands in for the process being killed: thrown by uploads after the configured count. */
  public static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash(String message) {
      super(message);
    }
  }

  private final SplittableRandom random;
  private final ReentrantLock randomLock = new ReentrantLock();
  private final double failureRate;
  private final double delayRate;
  private final Duration maxDelay;
  private final int crashAfterUploads;
  private final Set<BucketOperation> operations;
  private final Fault[] faults;
  private final AtomicInteger uploads = new AtomicInteger();
  private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
  private volatile boolean enabled = true;

  private FaultInjectingBucket(Builder builder) {
    super(builder.delegate);
    this.random = new SplittableRandom(builder.seed);
    this.failureRate = builder.failureRate;
    this.delayRate = builder.delayRate;
    this.maxDelay = builder.maxDelay;
    this.crashAfterUploads = builder.crashAfterUploads;
    this.operations = EnumSet.copyOf(builder.operations);
    this.faults = builder.faults.toArray(new Fault[0]);
    for (Fault fault : Fault.values()) {
      injected.put(fault, new AtomicInteger());
    }
  }

  /**
   * Starts a builder: no failures, no delays, no crash.
   *
   * @param delegate the bucket to disturb
   * @return the builder
   */
  public static Builder builder(Bucket delegate) {
    return new Builder(delegate);
  }

  /** Turns fault injection on or off, for example to check the final state of the store undisturbed. */
  public void enabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Returns how many faults of each kind were injected so far. */
  public int injected(Fault fault) {
    return injected.get(fault).get();
  }

  /** Returns the total number of injected faults. */
  public int injectedTotal() {
    int total = 0;
    for (AtomicInteger count : injected.values()) {
      total += count.get();
    }
    return total;
  }

  private record Decision(Fault fault, long delayMillis, long cutAfterBytes) {}

  private Decision decide(BucketOperation operation) {
    if (!enabled || !operations.contains(operation)) {
      return new Decision(null, 0, 0);
    }
    randomLock.lock();
    try {
      long delay = random.nextDouble() < delayRate ? random.nextLong(maxDelay.toMillis() + 1) : 0;
      Fault fault = null;
      if (random.nextDouble() < failureRate) {
        fault = faults[random.nextInt(faults.length)];
      }
      return new Decision(fault, delay, random.nextLong(1, 64 * 1024));
    } finally {
      randomLock.unlock();
    }
  }

  private Decision enter(String operation, String key) throws IOException {
    Decision decision = decide(operationOf(operation));
    if (decision.delayMillis() > 0) {
      try {
        Thread.sleep(decision.delayMillis());
      } catch (InterruptedException e) {
        throw Interrupts.interrupted(operation + " " + key, e);
      }
    }
    if (decision.fault() == Fault.BEFORE) {
      throw injected(Fault.BEFORE, operation, key);
    }
    return decision;
  }

  private static BucketOperation operationOf(String thanosName) {
    for (BucketOperation operation : BucketOperation.values()) {
      if (operation.thanosName().equals(thanosName)) {
        return operation;
      }
    }
    throw new IllegalArgumentException(thanosName);
  }

  private RetryableBucketException injected(Fault fault, String operation, String key) {
    injected.get(fault).incrementAndGet();
    return new RetryableBucketException("injected fault " + fault + " in " + operation + " " + key);
  }

  /** A call of the delegate. */
  @FunctionalInterface
  private interface Call<T> {
    T run() throws IOException;
  }

  private <T> T call(String operation, String key, Call<T> call) throws IOException {
    Decision decision = enter(operation, key);
    T result = call.run();
    if (decision.fault() != null) {
      // AFTER, and MID_STREAM for calls without a stream: the store did the work, the caller hears a failure.
      throw injected(decision.fault() == Fault.MID_STREAM ? Fault.AFTER : decision.fault(), operation, key);
    }
    return result;
  }

  private InputStream read(String operation, String key, Call<InputStream> open) throws IOException {
    Decision decision = enter(operation, key);
    InputStream in = open.run();
    if (decision.fault() == Fault.AFTER) {
      in.close();
      throw injected(Fault.AFTER, operation, key);
    }
    if (decision.fault() == Fault.MID_STREAM) {
      return new FailingInputStream(in, decision.cutAfterBytes(), operation, key);
    }
    return in;
  }

  @Override
  public InputStream get(String key) throws IOException {
    return read("get", key, () -> delegate.get(key));
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    return read("get_range", key, () -> delegate.getRange(key, offset, length));
  }

  @Override
  public boolean exists(String key) throws IOException {
    return call("exists", key, () -> delegate.exists(key));
  }

  @Override
  public ObjectAttributes attributes(String key) throws IOException {
    return call("attributes", key, () -> delegate.attributes(key));
  }

  private void checkCrash(String key) {
    if (crashAfterUploads >= 0 && uploads.incrementAndGet() > crashAfterUploads) {
      throw new SimulatedCrash("simulated crash during upload of " + key);
    }
  }

  @Override
  public void upload(String key, InputStream body, long length) throws IOException {
    checkCrash(key);
    Decision decision = enter("upload", key);
    if (decision.fault() == Fault.MID_STREAM) {
      body.readNBytes((int) Math.min(decision.cutAfterBytes(), length < 0 ? Long.MAX_VALUE : length));
      throw injected(Fault.MID_STREAM, "upload", key);
    }
    delegate.upload(key, body, length);
    if (decision.fault() == Fault.AFTER) {
      throw injected(Fault.AFTER, "upload", key);
    }
  }

  @Override
  public void upload(String key, byte[] content) throws IOException {
    upload(key, new java.io.ByteArrayInputStream(content), content.length);
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    try (InputStream in = java.nio.file.Files.newInputStream(file)) {
      upload(key, in, java.nio.file.Files.size(file));
    }
  }

  @Override
  public void delete(String key) throws IOException {
    call("delete", key, () -> {
      delegate.delete(key);
      return null;
    });
  }

  @Override
  public void iterate(String prefix, IterOptions options, KeyVisitor visitor) throws IOException {
    Decision decision = enter("iter", prefix);
    if (decision.fault() == null) {
      delegate.iterate(prefix, options, visitor);
      return;
    }
    // A listing that breaks off after some entries, as a failed page request would.
    int[] seen = {0};
    long cut = decision.cutAfterBytes() % 7;
    delegate.iterate(prefix, options, key -> {
      if (seen[0]++ == cut) {
        throw injected(decision.fault(), "iter", prefix);
      }
      visitor.visit(key);
    });
    throw injected(decision.fault(), "iter", prefix);
  }

  @Override
  public String toString() {
    return "FaultInjectingBucket[" + failureRate + ", " + delegate + "]";
  }

  /** Fails with a retryable exception after a number of bytes. */
  private final class FailingInputStream extends FilterInputStream {
    private final String operation;
    private final String key;
    private long left;

    FailingInputStream(InputStream in, long left, String operation, String key) {
      super(in);
      this.left = left;
      this.operation = operation;
      this.key = key;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (left <= 0) {
        throw injected(Fault.MID_STREAM, operation, key);
      }
      int n = in.read(buffer, offset, (int) Math.min(length, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /** Configures a {@link FaultInjectingBucket}. */
  public static final class Builder {
    private final Bucket delegate;
    private long seed = 42;
    private double failureRate;
    private double delayRate;
    private Duration maxDelay = Duration.ZERO;
    private int crashAfterUploads = -1;
    private Set<BucketOperation> operations = EnumSet.allOf(BucketOperation.class);
    private Set<Fault> faults = EnumSet.allOf(Fault.class);

    private Builder(Bucket delegate) {
      this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /** Sets the seed of the decisions. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Sets the share of calls that fail, in {@code [0, 1]}. */
    public Builder failureRate(double rate) {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("failure rate must be in [0, 1], got " + rate);
      }
      this.failureRate = rate;
      return this;
    }

    /** Sets the share of calls that are delayed by up to {@code max}. */
    public Builder delays(double rate, Duration max) {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("delay rate must be in [0, 1], got " + rate);
      }
      this.delayRate = rate;
      this.maxDelay = requireNonNull(max, "max is null");
      return this;
    }

    /** Limits faults and delays to these operations (default all). */
    public Builder operations(Set<BucketOperation> operations) {
      this.operations = EnumSet.copyOf(operations);
      return this;
    }

    /** Limits the kinds of fault injected (default all). */
    public Builder faults(Set<Fault> faults) {
      if (faults.isEmpty()) {
        throw new IllegalArgumentException("no faults given");
      }
      this.faults = EnumSet.copyOf(faults);
      return this;
    }

    /** Makes every upload after the first {@code uploads} throw {@link SimulatedCrash}. */
    public Builder crashAfterUploads(int uploads) {
      this.crashAfterUploads = uploads;
      return this;
    }

    /** Returns the wrapper. */
    public FaultInjectingBucket build() {
      return new FaultInjectingBucket(this);
    }
  }
}
