package dev.ghostgym.app;

import java.util.Map;

/** What a run was asked to be, echoed in its report. */
record RunSpec(String workload, Map<String, String> params, String policy, Map<String, String> policyParams,
               boolean oracle, int cpus, long seed, String overheads, Map<String, Long> fallbacks,
               String deployment, long agentRestarts) {}
