package dev.orrery.promql.exec.exchange;

import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Runs its child on an executor thread, {@code buffer} batches ahead of the consumer (promql-engine's
 * {@code exchange.Concurrent}): the producer fills its own step vectors and the consumer takes them over by swapping
 * arrays, so no sample is copied. Queues are bounded, so a slow consumer holds the producer back. A failure in the
 * producer is rethrown to the consumer; {@link #close()} stops the producer. The child is touched by the consumer
 * only through {@link #series()}, before the producer starts. When the executor has no thread free by the time the
 * consumer needs data (nested concurrent operators on a small pool), the consumer claims the work and runs the child
 * itself, so a saturated pool degrades to sequential evaluation instead of deadlocking.
 */
public final class ConcurrentOperator implements VectorOperator, AutoCloseable {
  private static final long POLL_MILLIS = 50;

  private final VectorOperator child;
  private final Executor executor;
  private final QueryContext ctx;
  private final int buffer;
  private ArrayBlockingQueue<Batch> full;
  private ArrayBlockingQueue<StepVector[]> free;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
  private boolean direct;
  private boolean started;
  private boolean done;
  private Batch current;
  private int offset;

  private record Batch(StepVector[] steps, int n, Throwable error) {}

  /** Wraps {@code child}; registers with {@code ctx} so the query's close stops the producer. */
  public ConcurrentOperator(VectorOperator child, Executor executor, QueryContext ctx, int buffer) {
    this.child = child;
    this.executor = executor;
    this.ctx = ctx;
    this.buffer = buffer;
    ctx.register(this);
  }

  @Override
  public List<SeriesInfo> series() {
    return child.series();
  }

  private void start(int batchSize) {
    started = true;
    child.series();
    full = new ArrayBlockingQueue<>(buffer + 1);
    free = new ArrayBlockingQueue<>(buffer + 1);
    for (int i = 0; i < buffer; i++) {
      free.add(StepVector.newBatch(batchSize));
    }
    executor.execute(() -> {
      if (claimed.compareAndSet(false, true)) {
        produce();
      } else {
        finished.countDown();
      }
    });
  }

  private void produce() {
    try {
      while (!closed) {
        StepVector[] b = free.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (b == null) {
          continue;
        }
        int n = child.next(b);
        put(new Batch(b, n, null));
        if (n == 0) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      put(new Batch(null, 0, e));
    } catch (RuntimeException | Error e) {
      // A thread boundary: everything the child throws goes to the consumer.
      put(new Batch(null, 0, e));
    } finally {
      finished.countDown();
    }
  }

  private void put(Batch b) {
    try {
      while (!closed && !full.offer(b, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        // wait for the consumer
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // The next batch, or null when the producer never started and the consumer took the work over.
  private Batch take() {
    try {
      while (true) {
        Batch b = full.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (b != null) {
          return b;
        }
        if (claimed.compareAndSet(false, true)) {
          direct = true;
          return null;
        }
        ctx.checkInterrupted();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a concurrent operator", e);
    }
  }

  @Override
  public int next(StepVector[] buf) {
    if (direct) {
      return child.next(buf);
    }
    if (!started) {
      start(buf.length);
    }
    int filled = 0;
    while (filled < buf.length) {
      if (current == null || offset == current.n()) {
        if (current != null) {
          free.offer(current.steps());
          current = null;
        }
        if (done) {
          break;
        }
        Batch b = take();
        if (b == null) {
          return child.next(buf);
        }
        if (b.error() != null) {
          done = true;
          if (b.error() instanceof RuntimeException re) {
            throw re;
          }
          if (b.error() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(b.error());
        }
        if (b.n() == 0) {
          done = true;
          break;
        }
        current = b;
        offset = 0;
      }
      buf[filled++].swapContents(current.steps()[offset++]);
    }
    return filled;
  }

  /** Stops the producer and waits briefly for it to leave the child. Idempotent. */
  @Override
  public void close() {
    closed = true;
    if (started) {
      try {
        finished.await(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public List<VectorOperator> children() {
    return List.of(child);
  }

  @Override
  public String describe() {
    return "concurrent(buff=" + buffer + ")";
  }
}
