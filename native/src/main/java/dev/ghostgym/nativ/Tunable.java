package dev.ghostgym.nativ;

/**
 * The per-enclave tunables, files in {@code enclave_<id>/} holding one number (ghost-model.md §1.6).
 * {@code RUNNABLE_TIMEOUT} is in ms (0 disables the watchdog); the others are 0/1 switches.
 */
public enum Tunable {
    RUNNABLE_TIMEOUT("runnable_timeout"),
    COMMIT_AT_TICK("commit_at_tick"),
    DELIVER_TICKS("deliver_ticks"),
    DELIVER_AGENT_RUNNABILITY("deliver_agent_runnability"),
    DELIVER_CPU_AVAILABILITY("deliver_cpu_availability"),
    WAKE_ON_WAKER_CPU("wake_on_waker_cpu"),
    SWITCHTO_DISABLED("switchto_disabled"),
    LIVE_DANGEROUSLY("live_dangerously");

    private final String file;

    Tunable(String file) {
        this.file = file;
    }

    /** The file name in the enclave directory. */
    public String file() {
        return file;
    }
}
