package dev.ghostgym.abi;

/**
 * Location of a status word ({@code struct ghost_sw_info}): the status-word region id and the
 * word's index in it. TASK_NEW carries one; the agent later frees it with {@code
 * GHOST_IOC_SW_FREE}. It is an address, not a message payload.
 */
public record SwInfo(int id, int index) {}
