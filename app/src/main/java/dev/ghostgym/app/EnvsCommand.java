package dev.ghostgym.app;

import dev.ghostgym.gym.Env;
import dev.ghostgym.gym.EnvSpec;
import dev.ghostgym.gym.Gym;
import picocli.CommandLine.Command;

/** {@code ghost-gym envs}: the registered environments with their spaces and default options. */
@Command(
    name = "envs",
    mixinStandardHelpOptions = true,
    description = "List the registered Gymnasium-style environments with their spaces.")
final class EnvsCommand implements Runnable {
  @Override
  public void run() {
    for (EnvSpec spec : Gym.registry().values()) {
      try (Env<?, ?> env = Gym.make(spec.id())) {
        System.out.println(spec.id());
        String obs = env.observationSpace().toString();
        // Nested spaces print long: show the start and the flat size a learner sees.
        if (obs.length() > 160) obs = obs.substring(0, 157) + "...";
        System.out.println(
            "  observation: "
                + obs
                + "  (flattened: "
                + env.observationSpace().flatDim()
                + " floats)");
        System.out.println("  action:      " + env.actionSpace());
        System.out.println("  defaults:    " + spec.defaultOptions());
      }
    }
  }
}
