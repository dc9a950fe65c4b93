package dev.orrery.storeapi;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.storeapi.proto.info.InfoGrpc;
import dev.orrery.storeapi.proto.info.InfoRequest;
import dev.orrery.storeapi.proto.info.InfoResponse;
import dev.orrery.storeapi.proto.thanos.LabelNamesRequest;
import dev.orrery.storeapi.proto.thanos.LabelNamesResponse;
import dev.orrery.storeapi.proto.thanos.LabelValuesRequest;
import dev.orrery.storeapi.proto.thanos.LabelValuesResponse;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import dev.orrery.storeapi.proto.thanos.StoreGrpc;
import io.grpc.BindableService;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC services {@code thanos.Store} and {@code thanos.info.Info} over a {@link StoreApi}. Add the result of
 * {@link #of} to a gRPC server. Unary calls run on the server's executor; each {@code Series} call runs on the given
 * executor (virtual threads work well), because it blocks in the store for I/O and for flow control.
 *
 * <p>Flow control: a {@code Series} stream waits while the transport cannot take more (the call's readiness, signalled
 * by its on-ready callback, which can run because the stream is produced off the call's callback thread), so a slow
 * client slows the store instead of filling the heap. Errors become gRPC statuses: {@code BAD_QUERY} → {@code INVALID_ARGUMENT}, {@code
 * LIMIT_EXCEEDED} → {@code RESOURCE_EXHAUSTED}, {@code TIMEOUT} → {@code DEADLINE_EXCEEDED}, {@code CANCELLED} →
 * {@code CANCELLED}, {@code UNSUPPORTED} → {@code UNIMPLEMENTED}, anything else → {@code INTERNAL}/{@code
 * UNAVAILABLE}.
 */
public final class StoreServices {
  private static final Logger LOG = LoggerFactory.getLogger(StoreServices.class);

  private StoreServices() {}

  /**
   * The Store and Info services over {@code store}.
   *
   * @param executor runs each {@code Series} stream; owned by the caller
   */
  public static List<BindableService> of(StoreApi store, Executor executor) {
    requireNonNull(store, "store is null");
    requireNonNull(executor, "executor is null");
    return List.of(new StoreService(store, executor), new InfoService(store));
  }

  /** The gRPC status for a failure of a store call. */
  public static Status statusOf(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      return s.getStatus();
    }
    if (t instanceof OrreryException e) {
      Status s = switch (e.code()) {
        case BAD_QUERY -> Status.INVALID_ARGUMENT;
        case LIMIT_EXCEEDED -> Status.RESOURCE_EXHAUSTED;
        case TIMEOUT -> Status.DEADLINE_EXCEEDED;
        case CANCELLED -> Status.CANCELLED;
        case UNSUPPORTED -> Status.UNIMPLEMENTED;
        case STORAGE -> Status.UNAVAILABLE;
        case CORRUPT_DATA -> Status.INTERNAL;
      };
      return s.withDescription(e.getMessage()).withCause(e);
    }
    return Status.INTERNAL.withDescription(String.valueOf(t)).withCause(t);
  }

  private static final class StoreService extends StoreGrpc.StoreImplBase {
    private final StoreApi store;
    private final Executor executor;

    StoreService(StoreApi store, Executor executor) {
      this.store = store;
      this.executor = executor;
    }

    @Override
    public void series(SeriesRequest request, StreamObserver<SeriesResponse> observer) {
      ServerCallStreamObserver<SeriesResponse> call = (ServerCallStreamObserver<SeriesResponse>) observer;
      FlowControl flow = new FlowControl(call);
      call.setOnReadyHandler(flow::signal);
      call.setOnCancelHandler(flow::cancel);
      try {
        executor.execute(() -> {
          try {
            store.series(request, flow::send);
            call.onCompleted();
          } catch (RuntimeException e) {
            fail(call, e);
          }
        });
      } catch (RejectedExecutionException e) {
        fail(call, new OrreryException(ErrorCode.STORAGE, "store is shutting down", e));
      }
    }

    @Override
    public void labelNames(LabelNamesRequest request, StreamObserver<LabelNamesResponse> observer) {
      try {
        observer.onNext(store.labelNames(request));
        observer.onCompleted();
      } catch (RuntimeException e) {
        fail(observer, e);
      }
    }

    @Override
    public void labelValues(LabelValuesRequest request, StreamObserver<LabelValuesResponse> observer) {
      try {
        observer.onNext(store.labelValues(request));
        observer.onCompleted();
      } catch (RuntimeException e) {
        fail(observer, e);
      }
    }
  }

  private static final class InfoService extends InfoGrpc.InfoImplBase {
    private final StoreApi store;

    InfoService(StoreApi store) {
      this.store = store;
    }

    @Override
    public void info(InfoRequest request, StreamObserver<InfoResponse> observer) {
      try {
        observer.onNext(store.info());
        observer.onCompleted();
      } catch (RuntimeException e) {
        fail(observer, e);
      }
    }
  }

  /** Blocks the producing thread while the call is not ready; woken by the call's on-ready and cancel callbacks. */
  private static final class FlowControl {
    private final ServerCallStreamObserver<SeriesResponse> call;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private volatile boolean cancelled;

    FlowControl(ServerCallStreamObserver<SeriesResponse> call) {
      this.call = call;
    }

    void signal() {
      lock.lock();
      try {
        ready.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void cancel() {
      cancelled = true;
      signal();
    }

    void send(SeriesResponse response) {
      if (!call.isReady()) {
        lock.lock();
        try {
          while (!call.isReady() && !cancelled) {
            // The timed wait only guards against a missed signal; on-ready normally wakes us.
            ready.await(50, TimeUnit.MILLISECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new OrreryException(ErrorCode.CANCELLED, "interrupted while waiting for the client");
        } finally {
          lock.unlock();
        }
      }
      if (cancelled || call.isCancelled()) {
        throw new OrreryException(ErrorCode.CANCELLED, "client cancelled the Series call");
      }
      call.onNext(response);
    }
  }

  private static void fail(StreamObserver<?> observer, RuntimeException e) {
    Status status = statusOf(e);
    if (status.getCode() == Status.Code.INTERNAL) {
      LOG.warn("store call failed", e);
    }
    try {
      observer.onError(status.asRuntimeException());
    } catch (IllegalStateException closed) {
      e.addSuppressed(closed);
      LOG.debug("call already closed when reporting {}", status, e);
    }
  }
}
