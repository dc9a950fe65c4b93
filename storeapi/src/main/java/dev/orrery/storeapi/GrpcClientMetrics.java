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
  private final GrpcCallFamilies families;

  private GrpcClientMetrics(PrometheusRegistry registry) {
    families = new GrpcCallFamilies(registry, GrpcCallFamilies.Side.CLIENT);
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
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      private GrpcCallFamilies.Call record;

      @Override
      public void start(Listener<R> listener, Metadata headers) {
        record = families.start(method);
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onMessage(R message) {
            record.received.inc();
            super.onMessage(message);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            record.finish(status.getCode());
            super.onClose(status, trailers);
          }
        }, headers);
      }

      @Override
      public void sendMessage(Q message) {
        record.sent.inc();
        super.sendMessage(message);
      }
    };
  }
}
