package dev.orrery.storeapi;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A server interceptor that records every call in the metric families of Go's gRPC Prometheus middleware, which Thanos'
 * servers use, with the same names, labels ({@code grpc_type}, {@code grpc_service}, {@code grpc_method}, and {@code
 * grpc_code} in Go's spelling, e.g. {@code OK}, {@code Canceled}, {@code ResourceExhausted}) and Thanos' handling-time
 * buckets:
 *
 * <table>
 *   <caption>Metrics</caption>
 *   <tr><td>{@code grpc_server_started_total}</td><td>counter: calls started</td></tr>
 *   <tr><td>{@code grpc_server_handled_total}</td><td>counter: calls completed, by status code (a call the client
 *       cancelled counts as {@code Canceled})</td></tr>
 *   <tr><td>{@code grpc_server_msg_received_total}</td><td>counter: request messages received</td></tr>
 *   <tr><td>{@code grpc_server_msg_sent_total}</td><td>counter: response messages sent (one per streamed
 *       frame)</td></tr>
 *   <tr><td>{@code grpc_server_handling_seconds}</td><td>histogram: time from the start of a call to its
 *       completion</td></tr>
 * </table>
 *
 * <p>Register once per registry; add the same instance to every server. Thread-safe.
 */
public final class GrpcServerMetrics implements ServerInterceptor {
  /** Thanos' buckets for gRPC handling time. */
  private static final double[] HANDLING_BOUNDS =
      {0.001, 0.01, 0.1, 0.3, 0.6, 1, 3, 6, 9, 20, 30, 60, 90, 120, 240, 360, 720};

  private final Counter started;
  private final Counter handled;
  private final Counter received;
  private final Counter sent;
  private final Histogram handling;

  private GrpcServerMetrics(PrometheusRegistry registry) {
    started = Counter.builder().name("grpc_server_started_total").help("Total number of RPCs started on the server.")
        .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
    handled = Counter.builder().name("grpc_server_handled_total")
        .help("Total number of RPCs completed on the server, regardless of success or failure.")
        .labelNames("grpc_type", "grpc_service", "grpc_method", "grpc_code").register(registry);
    received = Counter.builder().name("grpc_server_msg_received_total")
        .help("Total number of RPC stream messages received on the server.")
        .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
    sent = Counter.builder().name("grpc_server_msg_sent_total")
        .help("Total number of gRPC stream messages sent by the server.")
        .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
    handling = Histogram.builder().name("grpc_server_handling_seconds")
        .help("Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.")
        .labelNames("grpc_type", "grpc_service", "grpc_method").classicOnly().classicUpperBounds(HANDLING_BOUNDS)
        .withoutExemplars().register(registry);
  }

  /**
   * Registers the families with {@code registry}.
   *
   * @throws IllegalArgumentException if the registry already has them
   */
  public static GrpcServerMetrics register(PrometheusRegistry registry) {
    return new GrpcServerMetrics(registry);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    CallRecord record = new CallRecord(call.getMethodDescriptor());
    ServerCall<Q, R> monitored = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(R message) {
        record.sent.inc();
        super.sendMessage(message);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        record.finish(status.getCode());
        super.close(status, trailers);
      }
    };
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(monitored, headers)) {
      @Override
      public void onMessage(Q message) {
        record.received.inc();
        super.onMessage(message);
      }

      @Override
      public void onCancel() {
        record.finish(Status.Code.CANCELLED);
        super.onCancel();
      }
    };
  }

  /** One call: its series, its start, and whether its completion was counted (close and cancel may both come). */
  private final class CallRecord {
    private final String type;
    private final String service;
    private final String method;
    private final CounterDataPoint received;
    private final CounterDataPoint sent;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();

    CallRecord(MethodDescriptor<?, ?> descriptor) {
      type = GrpcLabels.typeName(descriptor.getType());
      service = descriptor.getServiceName();
      method = descriptor.getBareMethodName();
      started.labelValues(type, service, method).inc();
      received = GrpcServerMetrics.this.received.labelValues(type, service, method);
      sent = GrpcServerMetrics.this.sent.labelValues(type, service, method);
    }

    void finish(Status.Code code) {
      if (finished.compareAndSet(false, true)) {
        handled.labelValues(type, service, method, GrpcLabels.codeName(code)).inc();
        handling.labelValues(type, service, method).observe((System.nanoTime() - startNanos) / 1e9);
      }
    }
  }

}
