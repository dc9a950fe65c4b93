package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.labels.Labels;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.rules.RuleManager;
import dev.orrery.promql.rules.RuleStorage;
import dev.orrery.storeapi.local.QueryableStore;
import dev.orrery.storeapi.proto.rules.Rule;
import dev.orrery.storeapi.proto.rules.RuleGroup;
import dev.orrery.storeapi.proto.rules.RulesGrpc;
import dev.orrery.storeapi.proto.rules.RulesRequest;
import dev.orrery.storeapi.proto.rules.RulesResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Rules API of {@code orrery rule} answers a Thanos querier's {@code match[]}: the request's {@code
 * matcher_string}s are parsed by the PromQL parser, and only the rules whose labels match one of them are returned.
 */
class RulesApiMatchersTest {
  @Test
  void matcherStringsSelectRulesAndABadOneIsInvalidArgument() throws Exception {
    RuleStorage storage = new RuleStorage();
    GrpcOptions grpc = new GrpcOptions();
    grpc.grpcAddress = "127.0.0.1:0";
    try (RuleManager manager = RuleManager.builder(Engine.builder().build(), storage).build();
        ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      manager.load(DemoCommand.demoRules());
      Server server = grpc.startServer(new QueryableStore(storage, Labels.of("ruler", "r1"), "rule", manager), exec,
          new SelfMetrics());
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
      try {
        RulesGrpc.RulesBlockingStub rules = RulesGrpc.newBlockingStub(channel);
        assertThat(ruleNames(rules.rules(RulesRequest.newBuilder().build()))).containsExactly(
            "cluster:http_requests:rate5m", "cluster:http_errors:ratio5m", "InstanceDown", "HighErrorRate");
        assertThat(ruleNames(rules.rules(RulesRequest.newBuilder().addMatcherString("{severity=\"page\"}").build())))
            .containsExactly("InstanceDown");
        // Selectors match the rules' labels (as in Prometheus, a rule's name is not one of them); any may match.
        assertThat(ruleNames(rules.rules(RulesRequest.newBuilder().addMatcherString("{severity=\"page\"}")
            .addMatcherString("{severity=~\"warn.*\"}").build()))).containsExactly("InstanceDown", "HighErrorRate");
        assertThat(ruleNames(rules.rules(RulesRequest.newBuilder().addMatcherString("{__name__=~\"cluster:.*\"}")
            .build()))).isEmpty();
        assertThatThrownBy(() -> ruleNames(rules.rules(RulesRequest.newBuilder().addMatcherString("{severity")
            .build())))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).startsWith("invalid matcher_string {severity: ");
            });
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static List<String> ruleNames(Iterator<RulesResponse> frames) {
    List<String> names = new ArrayList<>();
    while (frames.hasNext()) {
      RuleGroup group = frames.next().getGroup();
      for (Rule r : group.getRulesList()) {
        names.add(r.hasAlert() ? r.getAlert().getName() : r.getRecording().getName());
      }
    }
    return names;
  }
}
