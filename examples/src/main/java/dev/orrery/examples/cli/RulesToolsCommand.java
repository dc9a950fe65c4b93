package dev.orrery.examples.cli;

import dev.orrery.promql.rules.AlertingRule;
import dev.orrery.promql.rules.RecordingRule;
import dev.orrery.promql.rules.Rule;
import dev.orrery.promql.rules.RuleFiles;
import dev.orrery.promql.rules.RuleGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code orrery tools rules ...}: offline checks of Prometheus rule files. */
@Command(name = "rules", description = "Check Prometheus rule files.", mixinStandardHelpOptions = true,
    subcommands = RulesToolsCommand.Check.class)
public final class RulesToolsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Checks rule files as the ruler loads them (and as {@code promtool check rules} reports): YAML, keys, names,
   * expressions, templates, duplicate groups. Exit status 1 when a file fails.
   */
  @Command(name = "check", description = "Check rule files as the ruler loads them: YAML, keys, metric and label "
      + "names, PromQL expressions and their types, templates, duplicate groups; exit 1 when one fails.")
  static final class Check implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "<file>", description = "Rule files.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      boolean failed = false;
      for (Path file : files) {
        out.printf("Checking %s%n", file);
        try {
          List<RuleGroup> groups = RuleFiles.read(file, Duration.ofMinutes(1));
          int recording = 0;
          int alerting = 0;
          for (RuleGroup g : groups) {
            for (Rule r : g.rules()) {
              switch (r) {
                case RecordingRule rr -> recording++;
                case AlertingRule ar -> alerting++;
              }
            }
          }
          out.printf("  SUCCESS: %d rules found (%d recording, %d alerting) in %d groups%n", recording + alerting,
              recording, alerting, groups.size());
        } catch (IOException | IllegalArgumentException e) {
          failed = true;
          out.printf("  FAILED:%n%s%n", e.getMessage());
        }
        out.println();
      }
      out.flush();
      return failed ? 1 : 0;
    }
  }
}
