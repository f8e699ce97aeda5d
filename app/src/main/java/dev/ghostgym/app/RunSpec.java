package dev.ghostgym.app;

import java.util.Map;

/**
 * What a run was asked to be, echoed in its report.
 *
 * @param decisionCostNs simulated agent time charged per policy decision
 * @param decisionCost where that cost came from (heuristic default, calibrated, set, none)
 * @param enclaveFailures 1 when the agents kept failing and the enclave was destroyed (tasks went
 *     back to CFS), else 0
 */
record RunSpec(
    String workload,
    Map<String, String> params,
    String policy,
    Map<String, String> policyParams,
    boolean oracle,
    int cpus,
    long seed,
    String overheads,
    Map<String, Long> fallbacks,
    String deployment,
    long agentRestarts,
    long decisionCostNs,
    String decisionCost,
    long enclaveFailures) {}
