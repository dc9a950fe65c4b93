package dev.orrery.storeapi;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The five metric families Go's gRPC Prometheus middleware keeps for one side of a call, server or client, with its
 * names, help texts and labels ({@code grpc_type}, {@code grpc_service}, {@code grpc_method}, and {@code grpc_code} on
 * the handled counter) and Thanos' handling-time buckets.
 */
final class GrpcCallFamilies {
  /** Thanos' buckets for gRPC handling time, in seconds. */
  private static final double[] HANDLING_BOUNDS =
      {0.001, 0.01, 0.1, 0.3, 0.6, 1, 3, 6, 9, 20, 30, 60, 90, 120, 240, 360, 720};

  /** Which side of the calls is counted: the families' prefix and the middleware's help texts. */
  enum Side {
    SERVER("grpc_server_", "Total number of RPCs started on the server.",
        "Total number of RPCs completed on the server, regardless of success or failure.",
        "Total number of RPC stream messages received on the server.",
        "Total number of gRPC stream messages sent by the server.",
        "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server."),
    CLIENT("grpc_client_", "Total number of RPCs started on the client.",
        "Total number of RPCs completed by the client, regardless of success or failure.",
        "Total number of RPC stream messages received by the client.",
        "Total number of gRPC stream messages sent by the client.",
        "Histogram of response latency (seconds) of the gRPC until it is finished by the application.");

    private final String prefix;
    private final String startedHelp;
    private final String handledHelp;
    private final String receivedHelp;
    private final String sentHelp;
    private final String handlingHelp;

    Side(String prefix, String startedHelp, String handledHelp, String receivedHelp, String sentHelp,
        String handlingHelp) {
      this.prefix = prefix;
      this.startedHelp = startedHelp;
      this.handledHelp = handledHelp;
      this.receivedHelp = receivedHelp;
      this.sentHelp = sentHelp;
      this.handlingHelp = handlingHelp;
    }
  }

  final Counter started;
  final Counter handled;
  final Counter received;
  final Counter sent;
  final Histogram handling;

  /** @throws IllegalArgumentException if the registry already has the side's families */
  GrpcCallFamilies(PrometheusRegistry registry, Side side) {
    String p = side.prefix;
    started = Counter.builder().name(p + "started_total").help(side.startedHelp)
        .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
    handled = Counter.builder().name(p + "handled_total").help(side.handledHelp)
        .labelNames("grpc_type", "grpc_service", "grpc_method", "grpc_code").register(registry);
    received = Counter.builder().name(p + "msg_received_total").help(side.receivedHelp)
        .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
    sent = Counter.builder().name(p + "msg_sent_total").help(side.sentHelp)
        .labelNames("grpc_type", "grpc_service", "grpc_method").register(registry);
    handling = Histogram.builder().name(p + "handling_seconds").help(side.handlingHelp)
        .labelNames("grpc_type", "grpc_service", "grpc_method").classicOnly().classicUpperBounds(HANDLING_BOUNDS)
        .withoutExemplars().register(registry);
  }

  /** Counts the start of a call of {@code descriptor}; the returned record counts the rest of it. */
  Call start(MethodDescriptor<?, ?> descriptor) {
    return new Call(descriptor);
  }

  /**
   * One call: its series, resolved once rather than at every message, its start, and whether its completion was
   * counted (a server call's close and cancel may both come).
   */
  final class Call {
    private final String type;
    private final String service;
    private final String method;
    final CounterDataPoint received;
    final CounterDataPoint sent;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();

    private Call(MethodDescriptor<?, ?> descriptor) {
      type = typeName(descriptor.getType());
      service = descriptor.getServiceName();
      method = descriptor.getBareMethodName();
      started.labelValues(type, service, method).inc();
      received = GrpcCallFamilies.this.received.labelValues(type, service, method);
      sent = GrpcCallFamilies.this.sent.labelValues(type, service, method);
    }

    /** Counts the call's completion with {@code code} and its duration, once. */
    void finish(Status.Code code) {
      if (finished.compareAndSet(false, true)) {
        handled.labelValues(type, service, method, codeName(code)).inc();
        handling.labelValues(type, service, method).observe((System.nanoTime() - startNanos) / 1e9);
      }
    }
  }

  /** The middleware's {@code grpc_type}. */
  static String typeName(MethodDescriptor.MethodType type) {
    return switch (type) {
      case UNARY -> "unary";
      case CLIENT_STREAMING -> "client_stream";
      case SERVER_STREAMING -> "server_stream";
      case BIDI_STREAMING, UNKNOWN -> "bidi_stream";
    };
  }

  /** grpc-go's name of a status code ({@code codes.Code.String()}). */
  static String codeName(Status.Code code) {
    return switch (code) {
      case OK -> "OK";
      case CANCELLED -> "Canceled";
      case UNKNOWN -> "Unknown";
      case INVALID_ARGUMENT -> "InvalidArgument";
      case DEADLINE_EXCEEDED -> "DeadlineExceeded";
      case NOT_FOUND -> "NotFound";
      case ALREADY_EXISTS -> "AlreadyExists";
      case PERMISSION_DENIED -> "PermissionDenied";
      case RESOURCE_EXHAUSTED -> "ResourceExhausted";
      case FAILED_PRECONDITION -> "FailedPrecondition";
      case ABORTED -> "Aborted";
      case OUT_OF_RANGE -> "OutOfRange";
      case UNIMPLEMENTED -> "Unimplemented";
      case INTERNAL -> "Internal";
      case UNAVAILABLE -> "Unavailable";
      case DATA_LOSS -> "DataLoss";
      case UNAUTHENTICATED -> "Unauthenticated";
    };
  }
}
