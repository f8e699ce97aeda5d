package dev.ghostgym.abi;

/**
 * TASK_LATCH_FAILURE (ABI 84+): the kernel could not latch a committed task. {@code error} is the C
 * field literally named {@code errno}, renamed because that name is a macro in C and confusing in
 * Java.
 */
public record TaskLatchFailure(long gtid, int error) implements TaskPayload {}
