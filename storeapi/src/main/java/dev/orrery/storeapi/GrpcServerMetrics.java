package dev.orrery.storeapi;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

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
    GrpcCallFamilies.Call record = families.start(call.getMethodDescriptor());
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
}
