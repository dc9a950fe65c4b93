package dev.orrery.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code orrery} command line: one subcommand per component, plus tools. */
@Command(
    name = "orrery",
    mixinStandardHelpOptions = true,
    versionProvider = OrreryCommand.Version.class,
    description = "Multi-cluster Prometheus metrics on the Thanos architecture, for the JVM.",
    subcommands = {DemoCommand.class, QueryCommand.class, StoreCommand.class, SidecarCommand.class, CompactCommand.class,
        RuleCommand.class, ToolsCommand.class, CommandLine.HelpCommand.class})
public final class OrreryCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line (also used by tests). */
  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new OrreryCommand());
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("orrery: " + ex.getMessage());
      return 1;
    });
    return cl;
  }

  /** Prints the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = OrreryCommand.class.getPackage().getImplementationVersion();
      return new String[] {"orrery " + (v == null ? "development build" : v)};
    }
  }
}
