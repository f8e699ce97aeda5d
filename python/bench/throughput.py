"""Env-steps per second from Python against the Java API's own loop, in the same process and run.

    python python/bench/throughput.py                      # PickNext, 4 CPUs, 16 envs, 3 rounds of 3 s
    python python/bench/throughput.py --env ghost/Placement-v0 --envs 16 --seconds 5 --rounds 5

Every loop does the same simulation work: each env takes the first action its mask allows (the
same actions in every loop), episodes of --tasks tasks, autoreset. Measured:

  java 1 / java N     Java's SyncVectorEnv stepped by a Java loop (BatchStepper.runFirstAllowed,
                      one JPype call for the whole run): what a Java caller gets.
  python 1 env        gymnasium.make(...) stepped from Python, full info every step.
  python N vector     GhostVectorEnv (one JVM call per batch; observations, rewards, flags and
                      masks in shared buffers), copy=True (fresh arrays) and copy=False (views).
  python N sync       gymnasium.vector.SyncVectorEnv of N single envs, for comparison.

Rounds alternate the loops so that a noisy neighbour hits them alike; the best round of each is
reported, with the ratio of the N-env Python vector env to Java's N-env loop.
"""
from __future__ import annotations

import argparse
import os
import platform
import time

import gymnasium as gym
import jpype
import numpy as np

import ghost_gym
from ghost_gym.vector import GhostVectorEnv


def java_loop(java_id, n, options, seconds):
    ghost_gym.start_jvm()
    BatchStepper = jpype.JClass("dev.ghostgym.gym.vector.BatchStepper")
    AutoresetMode = jpype.JClass("dev.ghostgym.gym.vector.AutoresetMode")
    venv = BatchStepper.vectorEnv(java_id, n, ghost_gym._convert.to_java_map(options), None, 1,
                                  AutoresetMode.NEXT_STEP)
    batches = 64
    while True:  # grow the run until it lasts `seconds`
        t = time.perf_counter()
        steps = BatchStepper.runFirstAllowed(venv, 1, batches)
        dt = time.perf_counter() - t
        if dt >= seconds or batches > 1 << 26:
            venv.close()
            return steps / dt
        batches = int(batches * max(2.0, 1.2 * seconds / max(dt, 1e-3)))


def python_vector(java_id, n, options, seconds, copy):
    envs = GhostVectorEnv(java_id, n, copy=copy, **options)
    _, info = envs.reset(seed=1)
    steps, t0 = 0, time.perf_counter()
    while True:
        for _ in range(100):
            _, _, _, _, info = envs.step(np.argmax(info["action_mask"], axis=1))
        steps += 100 * n
        dt = time.perf_counter() - t0
        if dt >= seconds:
            envs.close()
            return steps / dt


def python_sync(py_id, n, options, seconds):
    envs = gym.vector.SyncVectorEnv([lambda: gym.make(py_id, **options) for _ in range(n)])
    _, info = envs.reset(seed=1)
    steps, t0 = 0, time.perf_counter()
    while True:
        for _ in range(20):
            _, _, _, _, info = envs.step(np.argmax(info["action_mask"], axis=1))
        steps += 20 * n
        dt = time.perf_counter() - t0
        if dt >= seconds:
            envs.close()
            return steps / dt


def python_single(py_id, options, seconds):
    env = gym.make(py_id, **options)
    _, info = env.reset(seed=1)
    steps, t0 = 0, time.perf_counter()
    while True:
        for _ in range(100):
            _, _, term, trunc, info = env.step(int(np.argmax(info["action_mask"])))
            if term or trunc:
                _, info = env.reset()
        steps += 100
        dt = time.perf_counter() - t0
        if dt >= seconds:
            env.close()
            return steps / dt


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--env", default="ghost/PickNext-v0", help="Java id (ghost/...)")
    ap.add_argument("--envs", type=int, default=16, help="envs in the vector envs")
    ap.add_argument("--cpus", type=int, default=4)
    ap.add_argument("--tasks", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=3.0, help="length of one measurement")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip-sync", action="store_true", help="skip Gymnasium's SyncVectorEnv of single envs")
    args = ap.parse_args(argv)
    py_id = {v: k for k, v in ghost_gym.JAVA_IDS.items()}[args.env]
    options = {"cpus": args.cpus, "tasks": args.tasks}
    n = args.envs
    loops = {
        "java 1 env (Java loop)": lambda: java_loop(args.env, 1, options, args.seconds),
        f"java {n} envs (Java loop)": lambda: java_loop(args.env, n, options, args.seconds),
        "python 1 env (gymnasium.make)": lambda: python_single(py_id, options, args.seconds),
        f"python {n} envs (GhostVectorEnv)": lambda: python_vector(args.env, n, options, args.seconds, True),
        f"python {n} envs (GhostVectorEnv, copy=False)": lambda: python_vector(args.env, n, options, args.seconds,
                                                                                False),
    }
    if not args.skip_sync:
        loops[f"python {n} envs (gymnasium SyncVectorEnv)"] = lambda: python_sync(py_id, n, options, args.seconds)
    ghost_gym.start_jvm()
    java_loop(args.env, n, options, 1.0)
    python_vector(args.env, n, options, 1.0, True)
    best = {k: 0.0 for k in loops}
    for _ in range(args.rounds):
        for name, loop in loops.items():
            best[name] = max(best[name], loop())
    print(f"{args.env}, options {options}, best of {args.rounds} rounds of {args.seconds:g} s; "
          f"{platform.python_implementation()} {platform.python_version()}, Java "
          f"{jpype.JClass('java.lang.System').getProperty('java.version')}, {os.cpu_count()} CPUs")
    for name, rate in best.items():
        print(f"  {name:48s} {rate:12,.0f} env-steps/s")
    ratio = best[f"python {n} envs (GhostVectorEnv)"] / best[f"java {n} envs (Java loop)"]
    ratio_views = best[f"python {n} envs (GhostVectorEnv, copy=False)"] / best[f"java {n} envs (Java loop)"]
    print(f"  python {n}-env vector / java {n}-env loop: {ratio:.0%} (copy=False: {ratio_views:.0%})")


if __name__ == "__main__":
    main()
