package dev.ghostgym.app;

import dev.ghostgym.gym.sched.EpisodeLog;
import dev.ghostgym.gym.sched.Replay;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ghost-gym replay FILE}: re-runs a recorded episode and verifies it is the same. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Replay an episode recorded by RecordEpisode and verify return, metrics and trace hash.")
final class ReplayCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "An episode-N.json file.")
  Path file;

  @Override
  public Integer call() {
    if (!java.nio.file.Files.isReadable(file)) {
      throw new InputError(
          "replay "
              + file
              + ": "
              + (java.nio.file.Files.exists(file)
                  ? "cannot be read (permission denied)"
                  : "no such file"));
    }
    EpisodeLog log = Inputs.parse("replay", () -> Replay.read(file));
    Inputs.check("replay " + file, () -> Replay.checkActions(log));
    Replay.Outcome out = Replay.run(log);
    System.out.printf(
        "%s: %s, seed %d, %d steps, return %.6f, trace %s%n",
        file,
        log.env(),
        log.seed(),
        log.actions().size(),
        out.replayedReturn(),
        out.replayedMetrics().get("trace_sha256"));
    if (out.identical()) {
      System.out.println("  identical to the recording");
      return 0;
    }
    out.differences().forEach(d -> System.out.println("  DIFFERS " + d));
    return 1;
  }
}
