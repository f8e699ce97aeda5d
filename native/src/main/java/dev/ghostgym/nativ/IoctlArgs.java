package dev.ghostgym.nativ;

import com.sun.jna.Memory;
import dev.ghostgym.abi.AbiConstants;
import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.SwInfo;
import java.util.Arrays;

/**
 * Argument structs of the enclave ioctls, packed into native memory at the offsets of {@link Layouts}
 * (identical in ABI 84, 90 and 91). A struct that points to more data (the wakeup list of
 * CONFIG_QUEUE_WAKEUP) carries it in the same allocation, right after the struct, so one
 * {@link Memory} keeps it all alive.
 */
public final class IoctlArgs {

    private static final Layout L = Layouts.of(AbiVersion.latest());

    private IoctlArgs() {
    }

    /** {@code ghost_ioc_create_queue {elems, node, flags = 0}}; the kernel writes {@code mapsize}. */
    public static Memory createQueue(int elems, int node) {
        Struct s = L.struct("ghost_ioc_create_queue");
        Memory m = alloc(s.size());
        m.setInt(s.offset("elems"), elems);
        m.setInt(s.offset("node"), node);
        return m;
    }

    /** The {@code mapsize} CREATE_QUEUE wrote back. */
    public static long createQueueMapsize(Memory arg) {
        return arg.getLong(L.struct("ghost_ioc_create_queue").offset("mapsize"));
    }

    /** {@code ghost_ioc_assoc_queue {fd, src = {GHOST_TASK, gtid}, barrier, flags = 0}}. */
    public static Memory assocQueue(int queueFd, long gtid, int barrier) {
        Struct s = L.struct("ghost_ioc_assoc_queue");
        Memory m = alloc(s.size());
        m.setInt(s.offset("fd"), queueFd);
        m.setInt(s.offset("src.type"), AbiConstants.GHOST_TASK);
        m.setLong(s.offset("src.arg"), gtid);
        m.setInt(s.offset("barrier"), barrier);
        return m;
    }

    /** {@code ghost_ioc_set_default_queue {fd}}. */
    public static Memory setDefaultQueue(int queueFd) {
        Memory m = alloc(L.struct("ghost_ioc_set_default_queue").size());
        m.setInt(L.struct("ghost_ioc_set_default_queue").offset("fd"), queueFd);
        return m;
    }

    /**
     * {@code ghost_ioc_config_queue_wakeup {qfd, w, ninfo, flags = 0}} with {@code w} pointing to
     * {@code ninfo} {@code ghost_agent_wakeup {cpu, prio = 0}} right after the struct. No CPUs removes
     * the wakeups (the agent polls).
     */
    public static Memory configQueueWakeup(int queueFd, int... cpus) {
        if (cpus.length > AbiConstants.GHOST_MAX_WINFO) {
            throw new IllegalArgumentException("a queue wakes at most " + AbiConstants.GHOST_MAX_WINFO
                    + " CPUs, got " + Arrays.toString(cpus));
        }
        Struct s = L.struct("ghost_ioc_config_queue_wakeup");
        Struct w = L.struct("ghost_agent_wakeup");
        Memory m = alloc(s.size() + (long) w.size() * AbiConstants.GHOST_MAX_WINFO);
        m.setInt(s.offset("qfd"), queueFd);
        m.setPointer(s.offset("w"), cpus.length == 0 ? null : m.share(s.size()));
        m.setInt(s.offset("ninfo"), cpus.length);
        for (int i = 0; i < cpus.length; i++) {
            m.setInt(s.size() + (long) i * w.size() + w.offset("cpu"), cpus[i]);
        }
        return m;
    }

    /** {@code ghost_ioc_sw_get_info} asking for the word of the agent on {@code cpu}. */
    public static Memory swGetInfoAgent(int cpu) {
        return swGetInfo(AbiConstants.GHOST_AGENT, cpu);
    }

    /** {@code ghost_ioc_sw_get_info} asking for the word of task {@code gtid}. */
    public static Memory swGetInfoTask(long gtid) {
        return swGetInfo(AbiConstants.GHOST_TASK, gtid);
    }

    private static Memory swGetInfo(int type, long arg) {
        Struct s = L.struct("ghost_ioc_sw_get_info");
        Memory m = alloc(s.size());
        m.setInt(s.offset("request.type"), type);
        m.setLong(s.offset("request.arg"), arg);
        return m;
    }

    /** The {@code response {id, index}} SW_GET_INFO wrote back. */
    public static SwInfo swGetInfoResponse(Memory arg) {
        Struct s = L.struct("ghost_ioc_sw_get_info");
        return new SwInfo(arg.getInt(s.offset("response.id")), arg.getInt(s.offset("response.index")));
    }

    /** {@code ghost_sw_info {id, index}} for SW_FREE. */
    public static Memory swFree(int regionId, int index) {
        Struct s = L.struct("ghost_sw_info");
        Memory m = alloc(s.size());
        m.setInt(s.offset("id"), regionId);
        m.setInt(s.offset("index"), index);
        return m;
    }

    /** {@code ghost_ioc_get_cpu_time {gtid}}; the kernel writes {@code runtime}. */
    public static Memory getCpuTime(long gtid) {
        Struct s = L.struct("ghost_ioc_get_cpu_time");
        Memory m = alloc(s.size());
        m.setLong(s.offset("gtid"), gtid);
        return m;
    }

    /** The {@code runtime} (ns) GET_CPU_TIME wrote back. */
    public static long getCpuTimeRuntime(Memory arg) {
        return arg.getLong(L.struct("ghost_ioc_get_cpu_time").offset("runtime"));
    }

    private static Memory alloc(long size) {
        Memory m = new Memory(size);
        m.clear();
        return m;
    }
}
