package dev.ghostgym.ghostfs;

/**
 * This machine cannot run ghOSt agents: no ghostfs, an ABI ghost-gym does not speak, or no
 * permission. The message is one line that says what is missing and what to do, fit to print as is.
 */
public final class GhostUnavailable extends RuntimeException {

  public GhostUnavailable(String message) {
    super(message);
  }

  public GhostUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
