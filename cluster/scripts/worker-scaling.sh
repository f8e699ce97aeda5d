#!/usr/bin/env bash
# Env-steps/s of a ClusterVectorEnv with the environments in 1 worker JVM, then in 2 worker JVMs,
# each worker pinned with taskset to its own cores, the learner in its own JVM (issue 17; see
# docs/SCALE.md). Goal: 2 workers >= 1.6x one, which needs a quiet machine with >= 3 free cores.
#
#   cluster/scripts/worker-scaling.sh            # defaults below
#   W1_CPUS=0 W2_CPUS=1 LEARNER_CPUS=2-3 ENVS=32 SECONDS_=20 cluster/scripts/worker-scaling.sh
#   MODE=sync ...   every step waits for every node (ClusterVectorEnv.step); default MODE=2: the
#                   envs go as 2 groups through send/recv, each node's answer is sent back at once
#   ENVS2=256 ...   the 2-worker run with another number of envs (default: ENVS), e.g. as many
#                   envs per worker as the 1-worker run had
# WARMUP is long on purpose: on a loaded 2-core machine the JIT compiler still takes a third of the
# learner's CPU 10 s after the start, which the measured window must not count.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/app/target/ghost-gym.jar"
W1_CPUS=${W1_CPUS:-0}
W2_CPUS=${W2_CPUS:-1}
LEARNER_CPUS=${LEARNER_CPUS:-}   # empty: not pinned (a 2-core machine has no core left for it)
ENVS=${ENVS:-128}
ENVS2=${ENVS2:-$ENVS}
WARMUP=${WARMUP:-30}
SECONDS_=${SECONDS_:-15}
MODE=${MODE:-2}
PORT=${PORT:-25520}
"$root/ghost-gym" --version >/dev/null   # builds the jar when sources changed
pin() { if [ -n "$1" ]; then echo "taskset -c $1"; fi; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
run() { # $1 = number of workers
  local life=$((WARMUP + SECONDS_ + 90)) envs=$ENVS
  if [ "$1" = 2 ]; then envs=$ENVS2; fi
  $(pin "$W1_CPUS") java -jar "$jar" worker --port "$PORT" --seconds "$life" >/dev/null & pids+=($!)
  sleep 3
  if [ "$1" = 2 ]; then
    $(pin "$W2_CPUS") java -jar "$jar" worker --port 0 --seed-nodes "127.0.0.1:$PORT" --seconds "$life" >/dev/null & pids+=($!)
  fi
  GHOST_GYM_WORKER_PIDS=$(IFS=,; echo "${pids[*]}") $(pin "$LEARNER_CPUS") java -cp "$jar" dev.ghostgym.cluster.ClusterStepRate "127.0.0.1:$PORT" "$1" "$envs" "$WARMUP" "$SECONDS_" "$MODE"
  echo "  load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  cleanup; pids=(); sleep 2
}
echo "machine: $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
run 1
run 2
