package dev.orrery.storeapi;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A client interceptor that records every call a querier or ruler makes to its StoreAPI endpoints, in the client
 * families of Go's gRPC Prometheus middleware, as Thanos' querier exposes them: {@code grpc_client_started_total},
 * {@code grpc_client_handled_total} (by {@code grpc_code}, Go's spelling), {@code grpc_client_msg_sent_total}, {@code
 * grpc_client_msg_received_total} and {@code grpc_client_handling_seconds}, labelled by {@code grpc_type}, {@code
 * grpc_service} and {@code grpc_method}.
 *
 * <p>Register once per registry; add the same instance to every channel. Thread-safe.
 */
public final class GrpcClientMetrics implements ClientInterceptor {
  /** Thanos' buckets for gRPC client handling time. */
  private static final double[] HANDLING_BOUNDS =
      {0.001, 0.01, 0.1, 0.3, 0.6, 1, 3, 6, 9, 20, 30, 60, 90, 120, 240, 360, 720};

  private final Counter started;
  private final Counter handled;
  private final Counter sent;
  private final Counter received;
  private final Histogram handling;

  private GrpcClientMetrics(PrometheusRegistry registry) {
    started = Counter.builder().name("grpc_client_started_total")
        .help("Total number of RPCs started on the client.")
        .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
    handled = Counter.builder().name("grpc_client_handled_total")
        .help("Total number of RPCs completed by the client, regardless of success or failure.")
        .labelNames("grpc_type", "grpc_service", "grpc_method", "grpc_code").register(registry);
    sent = Counter.builder().name("grpc_client_msg_sent_total")
        .help("Total number of gRPC stream messages sent by the client.")
        .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
    received = Counter.builder().name("grpc_client_msg_received_total")
        .help("Total number of RPC stream messages received by the client.")
        .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
    handling = Histogram.builder().name("grpc_client_handling_seconds")
        .help("Histogram of response latency (seconds) of the gRPC until it is finished by the application.")
        .labelNames("grpc_type", "grpc_service", "grpc_method").classicOnly().classicUpperBounds(HANDLING_BOUNDS)
        .withoutExemplars().register(registry);
  }

  /**
   * Registers the families with {@code registry}.
   *
   * @throws IllegalArgumentException if the registry already has them
   */
  public static GrpcClientMetrics register(PrometheusRegistry registry) {
    return new GrpcClientMetrics(registry);
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    String type = GrpcLabels.typeName(method.getType());
    String service = method.getServiceName();
    String name = method.getBareMethodName();
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      private long startNanos;

      @Override
      public void start(Listener<R> listener, Metadata headers) {
        startNanos = System.nanoTime();
        started.labelValues(type, service, name).inc();
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onMessage(R message) {
            received.labelValues(type, service, name).inc();
            super.onMessage(message);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            handled.labelValues(type, service, name, GrpcLabels.codeName(status.getCode())).inc();
            handling.labelValues(type, service, name).observe((System.nanoTime() - startNanos) / 1e9);
            super.onClose(status, trailers);
          }
        }, headers);
      }

      @Override
      public void sendMessage(Q message) {
        sent.labelValues(type, service, name).inc();
        super.sendMessage(message);
      }
    };
  }
}
