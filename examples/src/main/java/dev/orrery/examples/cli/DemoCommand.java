package dev.orrery.examples.cli;

import dev.orrery.core.block.BlockDirectory;
import dev.orrery.examples.demo.DemoDataSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orrery demo}: writes the demo data set and shows what it wrote. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Write a synthetic multi-cluster data set (3 clusters x 2 replicas, 4h at 15s) as TSDB blocks "
        + "and print the blocks.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--data", defaultValue = "demo-data", description = "Directory for the blocks (default ./${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--hours", defaultValue = "4", description = "Hours of data (default ${DEFAULT-VALUE}).")
  long hours;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Files.createDirectories(data);
    if (!BlockDirectory.blockDirs(data).isEmpty()) {
      out.printf("%s already holds blocks; writing the demo data set next to them.%n", data);
    }
    long start = System.nanoTime();
    int written = DemoDataSet.endingNow(hours).writeTo(data).size();
    out.printf("Wrote %d blocks into %s in %.1f s: 3 clusters x 2 Prometheus replicas, %dh at 15s, "
        + "external labels cluster, environment, prometheus_replica.%n%n", written, data.toAbsolutePath(),
        (System.nanoTime() - start) / 1e9, hours);
    BlockTable.print(out, BlockDirectory.blockDirs(data));
    out.printf("%nNext: orrery tools block verify %s/<ULID>    orrery tools block dump %s/<ULID>%n", data, data);
    out.flush();
    return 0;
  }
}
