package dev.orrery.storeapi;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.labels.SelectorParser;
import dev.orrery.core.rules.RuleGroupsSource;
import dev.orrery.core.storage.ExemplarSource;
import dev.orrery.core.storage.MetricMetadataSource;
import dev.orrery.core.targets.TargetsSource;
import dev.orrery.storeapi.proto.exemplars.ExemplarsGrpc;
import dev.orrery.storeapi.proto.info.InfoGrpc;
import dev.orrery.storeapi.proto.info.InfoRequest;
import dev.orrery.storeapi.proto.info.InfoResponse;
import dev.orrery.storeapi.proto.metadata.MetadataGrpc;
import dev.orrery.storeapi.proto.rules.RulesGrpc;
import dev.orrery.storeapi.proto.targets.TargetsGrpc;
import dev.orrery.storeapi.proto.thanos.LabelNamesRequest;
import dev.orrery.storeapi.proto.thanos.LabelNamesResponse;
import dev.orrery.storeapi.proto.thanos.LabelValuesRequest;
import dev.orrery.storeapi.proto.thanos.LabelValuesResponse;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import dev.orrery.storeapi.proto.thanos.StoreGrpc;
import io.grpc.BindableService;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC services {@code thanos.Store} and {@code thanos.info.Info} over a {@link StoreApi}, plus {@code
 * thanos.Metadata}, {@code thanos.Rules}, {@code thanos.Exemplars} and {@code thanos.Targets} when the store serves
 * them ({@link StoreApi#metadataApi()}, {@link StoreApi#rulesApi()}, {@link StoreApi#exemplarsApi()}, {@link
 * StoreApi#targetsApi()}). Add the result of {@link #of} to a gRPC server. Unary calls run on the server's executor;
 * each {@code Series} call runs on the given executor (virtual threads work well), because it blocks in the store for
 * I/O and for flow control.
 *
 * <p>Flow control: a {@code Series} stream waits while the transport cannot take more (the call's readiness, signalled
 * by its on-ready callback, which can run because the stream is produced off the call's callback thread), so a slow
 * client slows the store instead of filling the heap. Errors become gRPC statuses: {@code BAD_QUERY} → {@code
 * INVALID_ARGUMENT}, {@code LIMIT_EXCEEDED} → {@code RESOURCE_EXHAUSTED}, {@code TIMEOUT} → {@code DEADLINE_EXCEEDED}, {@code CANCELLED} →
 * {@code CANCELLED}, {@code UNSUPPORTED} → {@code UNIMPLEMENTED}, anything else → {@code INTERNAL}/{@code
 * UNAVAILABLE}.
 */
public final class StoreServices {
  private static final Logger LOG = LoggerFactory.getLogger(StoreServices.class);

  private StoreServices() {}

  /**
   * The Store and Info services over {@code store}, and the Metadata, Rules, Exemplars and Targets services when it
   * serves them. Rules requests with label matchers ({@code matcher_string}, what a Thanos querier sends for {@code
   * match[]}) are refused as {@code UNIMPLEMENTED}: see {@link #of(StoreApi, Executor, SelectorParser)}.
   *
   * @param executor runs each {@code Series} stream; owned by the caller
   */
  public static List<BindableService> of(StoreApi store, Executor executor) {
    return of(store, executor, null);
  }

  /**
   * {@link #of(StoreApi, Executor)}, with the Rules service filtering by the label matchers of a request's {@code
   * matcher_string}s, which {@code selectors} parses (the PromQL parser's series selector).
   *
   * @param executor runs each {@code Series} stream; owned by the caller
   * @param selectors parses {@code matcher_string}s; {@code null} to refuse them
   */
  public static List<BindableService> of(StoreApi store, Executor executor, @Nullable SelectorParser selectors) {
    requireNonNull(store, "store is null");
    requireNonNull(executor, "executor is null");
    StoreService service = new StoreService(store, executor);
    ServerServiceDefinition definition = ServerServiceDefinition.builder(StoreGrpc.SERVICE_NAME)
        .addMethod(SERIES, ServerCalls.asyncServerStreamingCall(service::series))
        .addMethod(StoreGrpc.getLabelNamesMethod(), ServerCalls.asyncUnaryCall(service::labelNames))
        .addMethod(StoreGrpc.getLabelValuesMethod(), ServerCalls.asyncUnaryCall(service::labelValues))
        .build();
    BindableService storeService = () -> definition;
    List<BindableService> services = new ArrayList<>(List.of(storeService, new InfoService(store)));
    MetricMetadataSource metadata = store.metadataApi();
    if (metadata != null) {
      services.add(streaming(MetadataGrpc.SERVICE_NAME, MetadataGrpc.getMetricMetadataMethod(),
          r -> WireMetadata.responses(metadata.metricMetadata(r.getMetric(), r.getLimit(), WireMetadata.options(r)))));
    }
    RuleGroupsSource rules = store.rulesApi();
    if (rules != null) {
      services.add(streaming(RulesGrpc.SERVICE_NAME, RulesGrpc.getRulesMethod(),
          r -> WireRules.responses(rules.ruleGroups(WireRules.filter(r, selectors), WireRules.options(r)))));
    }
    ExemplarSource exemplars = store.exemplarsApi();
    if (exemplars != null) {
      services.add(streaming(ExemplarsGrpc.SERVICE_NAME, ExemplarsGrpc.getExemplarsMethod(),
          r -> WireExemplars.responses(exemplars.exemplars(WireExemplars.query(r), WireExemplars.options(r)))));
    }
    TargetsSource targets = store.targetsApi();
    if (targets != null) {
      services.add(streaming(TargetsGrpc.SERVICE_NAME, TargetsGrpc.getTargetsMethod(),
          r -> WireTargets.responses(targets.targets(WireTargets.state(r), WireTargets.options(r)))));
    }
    return List.copyOf(services);
  }

  /** A service of one server-streaming method whose frames {@code answer} computes from the request. */
  private static <Q, R> BindableService streaming(String serviceName, MethodDescriptor<Q, R> method,
      Function<Q, List<R>> answer) {
    ServerServiceDefinition definition = ServerServiceDefinition.builder(serviceName)
        .addMethod(method, ServerCalls.asyncServerStreamingCall(
            (Q request, StreamObserver<R> observer) -> answer(observer, () -> answer.apply(request))))
        .build();
    return () -> definition;
  }

  /**
   * {@code /thanos.Store/Series} with a response marshaller that takes either a {@link SeriesResponse} or an {@link
   * EncodedSeriesFrame}, whose bytes go to the transport as they are.
   */
  private static final MethodDescriptor<SeriesRequest, Object> SERIES = StoreGrpc.getSeriesMethod().toBuilder(
      ProtoUtils.marshaller(SeriesRequest.getDefaultInstance()), new FrameMarshaller()).build();

  private static final class FrameMarshaller implements MethodDescriptor.Marshaller<Object> {
    private final MethodDescriptor.Marshaller<SeriesResponse> proto =
        ProtoUtils.marshaller(SeriesResponse.getDefaultInstance());

    @Override
    public InputStream stream(Object value) {
      if (value instanceof EncodedSeriesFrame f) {
        return new FrameStream(f);
      }
      return proto.stream((SeriesResponse) value);
    }

    @Override
    public Object parse(InputStream stream) {
      return proto.parse(stream);
    }
  }

  /** The bytes of an encoded frame, drained straight into gRPC's buffers. */
  private static final class FrameStream extends InputStream implements KnownLength, Drainable {
    private final byte[] bytes;
    private int pos;
    private final int end;

    FrameStream(EncodedSeriesFrame f) {
      this.bytes = f.bytes();
      this.pos = f.offset();
      this.end = f.offset() + f.length();
    }

    @Override
    public int read() {
      return pos < end ? bytes[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= end) {
        return -1;
      }
      int n = Math.min(len, end - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return end - pos;
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = end - pos;
      target.write(bytes, pos, n);
      pos = end;
      return n;
    }
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

  private static final class StoreService {
    private final StoreApi store;
    private final Executor executor;

    StoreService(StoreApi store, Executor executor) {
      this.store = store;
      this.executor = executor;
    }

    void series(SeriesRequest request, StreamObserver<Object> observer) {
      ServerCallStreamObserver<Object> call = (ServerCallStreamObserver<Object>) observer;
      FlowControl flow = new FlowControl(call);
      call.setOnReadyHandler(flow::signal);
      call.setOnCancelHandler(flow::cancel);
      try {
        executor.execute(() -> {
          try {
            store.series(request, flow);
            call.onCompleted();
          } catch (RuntimeException e) {
            fail(call, e);
          }
        });
      } catch (RejectedExecutionException e) {
        fail(call, new OrreryException(ErrorCode.STORAGE, "store is shutting down", e));
      }
    }

    void labelNames(LabelNamesRequest request, StreamObserver<LabelNamesResponse> observer) {
      answer(observer, () -> List.of(store.labelNames(request)));
    }

    void labelValues(LabelValuesRequest request, StreamObserver<LabelValuesResponse> observer) {
      answer(observer, () -> List.of(store.labelValues(request)));
    }
  }

  private static final class InfoService extends InfoGrpc.InfoImplBase {
    private final StoreApi store;

    InfoService(StoreApi store) {
      this.store = store;
    }

    @Override
    public void info(InfoRequest request, StreamObserver<InfoResponse> observer) {
      answer(observer, () -> List.of(store.info()));
    }
  }

  /** Blocks the producing thread while the call is not ready; woken by the call's on-ready and cancel callbacks. */
  private static final class FlowControl implements SeriesSink {
    private final ServerCallStreamObserver<Object> call;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private volatile boolean cancelled;

    FlowControl(ServerCallStreamObserver<Object> call) {
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

    @Override
    public void send(SeriesResponse response) {
      awaitReady();
      call.onNext(response);
    }

    @Override
    public void send(EncodedSeriesFrame frame) {
      awaitReady();
      call.onNext(frame);
    }

    @Override
    public boolean isCancelled() {
      return cancelled || call.isCancelled();
    }

    private void awaitReady() {
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
    }
  }

  /** Sends the frames {@code answer} computes and completes the call, or fails it with the error's status. */
  private static <T> void answer(StreamObserver<T> observer, Supplier<List<T>> answer) {
    try {
      for (T frame : answer.get()) {
        observer.onNext(frame);
      }
      observer.onCompleted();
    } catch (RuntimeException e) {
      fail(observer, e);
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
