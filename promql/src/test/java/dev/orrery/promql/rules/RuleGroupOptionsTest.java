package dev.orrery.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.promql.engine.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A group's query_offset and partial_response_strategy reach the queries and the stored samples. */
class RuleGroupOptionsTest {
  static final long M = 60_000;
  static final long T0 = 1_700_000_000_000L / M * M;

  @Test
  void aQueryOffsetEvaluatesAndStoresAsOfThatMuchEarlier() throws Exception {
    RuleStorage source = new RuleStorage();
    for (long t = T0 - 10 * M; t <= T0 + 10 * M; t += 15_000) {
      source.append(Labels.of("__name__", "temperature", "room", "a"), t, (t - T0) / 1000.0);
    }
    RuleStorage storage = new RuleStorage();
    RuleManager manager = RuleManager.builder(Engine.builder().build(), source).storage(storage).build();
    manager.load(RuleFiles.parse("""
        groups:
          - name: g
            query_offset: 2m
            rules:
              - record: room:temperature:max
                expr: max by (room) (temperature)
        """, "rules.yml", Duration.ofMinutes(1)));
    manager.evaluate(T0 + 5 * M);
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, Matcher.equal("__name__", "room:temperature:max"));
      assertThat(set.next()).isTrue();
      SampleIterator it = set.at().iterator(null);
      assertThat(it.next()).isEqualTo(ValueType.FLOAT);
      assertThat(it.atT()).isEqualTo(T0 + 3 * M);
      assertThat(it.atV()).as("the temperature at T0 + 3m").isEqualTo(180.0);
    }
    assertThat(manager.groups().get(0).lastEvaluation().toEpochMilli()).as("the wall-clock evaluation")
        .isEqualTo(T0 + 5 * M);
  }

  @Test
  void thePartialResponseStrategyReachesTheStores() throws Exception {
    List<Boolean> seen = new ArrayList<>();
    RuleStorage data = new RuleStorage();
    data.append(Labels.of("__name__", "up", "job", "api"), T0, 1);
    Queryable watching = (mint, maxt) -> {
      Querier inner = data.querier(mint, maxt);
      return new Querier() {
        @Override
        public SeriesSet select(boolean sorted, dev.orrery.core.storage.SelectHints hints, Matcher... matchers) {
          seen.add(hints.partialResponse());
          return inner.select(sorted, hints, matchers);
        }

        @Override
        public List<String> labelNames(Matcher... matchers) {
          return inner.labelNames(matchers);
        }

        @Override
        public List<String> labelValues(String name, Matcher... matchers) {
          return inner.labelValues(name, matchers);
        }

        @Override
        public void close() {
          inner.close();
        }
      };
    };
    RuleManager manager = RuleManager.builder(Engine.builder().build(), watching).build();
    manager.load(RuleFiles.parse("""
        groups:
          - name: warn
            partial_response_strategy: warn
            rules:
              - record: a
                expr: sum(up)
          - name: abort
            rules:
              - record: b
                expr: sum(up)
        """, "rules.yml", Duration.ofMinutes(1)));
    manager.evaluate(T0);
    assertThat(seen).containsExactly(true, false);
  }
}
