package dev.orrery.objstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract holds through {@link RetryingBucket} over a store that fails a third of all reads, listings and
 * deletions before or after doing them. Uploads from streams cannot be retried once consumed and reads are not
 * resumed by default, so those faults are covered by the dedicated tests below.
 */
class RetryingBucketTest extends BucketContractTest {
  private final List<Duration> sleeps = new ArrayList<>();

  @Override
  protected Bucket newBucket() {
    FaultInjectingBucket faulty = FaultInjectingBucket.builder(new InMemoryBucket())
        .seed(7)
        .failureRate(0.33)
        .operations(EnumSet.complementOf(EnumSet.of(BucketOperation.UPLOAD)))
        .faults(EnumSet.of(FaultInjectingBucket.Fault.BEFORE, FaultInjectingBucket.Fault.AFTER))
        .build();
    return RetryingBucket.builder(faulty).maxAttempts(30).sleeper(sleeps::add).build();
  }

  @Test
  void byteArrayUploadsSurviveEveryKindOfFault() throws IOException {
    FaultInjectingBucket faulty = FaultInjectingBucket.builder(new InMemoryBucket()).seed(11).failureRate(0.5).build();
    try (Bucket retrying = RetryingBucket.builder(faulty).maxAttempts(40).sleeper(d -> {}).resumeReads(true)
        .build()) {
      Random random = new Random(1);
      for (int i = 0; i < 50; i++) {
        byte[] data = new byte[random.nextInt(200_000)];
        random.nextBytes(data);
        retrying.upload("obj/" + i, data);
        assertThat(retrying.readAllBytes("obj/" + i)).isEqualTo(data);
      }
      assertThat(faulty.injected(FaultInjectingBucket.Fault.BEFORE)).isPositive();
      assertThat(faulty.injected(FaultInjectingBucket.Fault.AFTER)).isPositive();
      assertThat(faulty.injected(FaultInjectingBucket.Fault.MID_STREAM)).isPositive();
    }
  }

  @Test
  void midStreamFailuresResumeWhereTheyBroke() throws IOException {
    InMemoryBucket store = new InMemoryBucket();
    byte[] data = new byte[1 << 20];
    new Random(5).nextBytes(data);
    store.upload("big", data);
    FaultInjectingBucket faulty = FaultInjectingBucket.builder(store).seed(3).failureRate(0.9)
        .operations(EnumSet.of(BucketOperation.GET, BucketOperation.GET_RANGE)).build();
    try (Bucket retrying = RetryingBucket.builder(faulty).maxAttempts(1000).sleeper(d -> {}).resumeReads(true)
        .build();
        InputStream in = retrying.getRange("big", 1000, 500_000)) {
      assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 501_000));
    }
    assertThat(faulty.injected(FaultInjectingBucket.Fault.MID_STREAM)).isPositive();
  }

  @Test
  void finalFailuresAreNotRetried() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    Bucket counting = new ForwardingBucket(new InMemoryBucket()) {
      @Override
      public InputStream get(String key) throws IOException {
        calls.incrementAndGet();
        return super.get(key);
      }
    };
    try (Bucket retrying = RetryingBucket.builder(counting).sleeper(sleeps::add).build()) {
      assertThatThrownBy(() -> retrying.get("missing")).isInstanceOf(ObjectNotFoundException.class);
    }
    assertThat(calls).hasValue(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void givesUpAfterMaxAttemptsWithExponentialJitteredBackoff() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    Bucket failing = new ForwardingBucket(new InMemoryBucket()) {
      @Override
      public boolean exists(String key) throws IOException {
        calls.incrementAndGet();
        throw new RetryableBucketException("503 SlowDown");
      }
    };
    try (Bucket retrying = RetryingBucket.builder(failing).maxAttempts(6)
        .backoff(Duration.ofMillis(100), Duration.ofMillis(1000)).sleeper(sleeps::add)
        .random(new SplittableRandom(1)).build()) {
      assertThatThrownBy(() -> retrying.exists("x")).isInstanceOf(RetryableBucketException.class)
          .hasMessageContaining("503");
    }
    assertThat(calls).hasValue(6);
    long[] ceilings = {100, 200, 400, 800, 1000};
    assertThat(sleeps).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(sleeps.get(i).toMillis()).as("backoff %d", i)
          .isBetween(ceilings[i] / 2, ceilings[i] - 1);
    }
  }

  @Test
  void interruptDuringBackoffEndsTheOperation() {
    Bucket failing = new ForwardingBucket(new InMemoryBucket()) {
      @Override
      public boolean exists(String key) throws IOException {
        throw new RetryableBucketException("503");
      }
    };
    Bucket retrying = RetryingBucket.builder(failing).sleeper(duration -> {
      throw new InterruptedException();
    }).build();
    try {
      Throwable thrown = catchThrowable(() -> retrying.exists("x"));
      assertThat(thrown).isInstanceOf(InterruptedIOException.class);
      assertThat(thrown.getSuppressed()).hasSize(1);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void streamUploadIsRetriedOnlyBeforeAnyByteWasRead() throws IOException {
    FaultInjectingBucket faulty = FaultInjectingBucket.builder(new InMemoryBucket()).seed(1).failureRate(1.0).build();
    try (Bucket retrying = RetryingBucket.builder(faulty).maxAttempts(3).sleeper(d -> {}).build()) {
      Throwable thrown = catchThrowable(() -> retrying.upload("k", new java.io.ByteArrayInputStream(new byte[100_000]),
          100_000));
      assertThat(thrown).isInstanceOf(RetryableBucketException.class);
    }
  }
}
