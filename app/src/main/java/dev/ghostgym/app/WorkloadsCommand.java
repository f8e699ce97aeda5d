package dev.ghostgym.app;

import dev.ghostgym.config.WorkloadInfo;
import dev.ghostgym.config.Workloads;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code ghost-gym workloads}: the built-in workloads with their parameters. */
@Command(
    name = "workloads",
    mixinStandardHelpOptions = true,
    description = "List the built-in workloads and the parameters --set can change.")
final class WorkloadsCommand implements Runnable {
  @Override
  public void run() {
    for (WorkloadInfo w : Workloads.builtins()) {
      System.out.printf("%-20s %s%n", w.name(), w.description());
      for (Map.Entry<String, String> p : w.params().entrySet()) {
        System.out.printf("%-20s   %s = %s%n", "", p.getKey(), p.getValue());
      }
    }
  }
}
