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
  private final GrpcCallFamilies families;

  private GrpcServerMetrics(PrometheusRegistry registry) {
    families = new GrpcCallFamilies(registry, GrpcCallFamilies.Side.SERVER);
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
      type = GrpcCallFamilies.typeName(descriptor.getType());
      service = descriptor.getServiceName();
      method = descriptor.getBareMethodName();
      families.started.labelValues(type, service, method).inc();
      received = families.received.labelValues(type, service, method);
      sent = families.sent.labelValues(type, service, method);
    }

    void finish(Status.Code code) {
      if (finished.compareAndSet(false, true)) {
        families.handled.labelValues(type, service, method, GrpcCallFamilies.codeName(code)).inc();
        families.handling.labelValues(type, service, method).observe((System.nanoTime() - startNanos) / 1e9);
      }
    }
  }

}
