"""Env-steps per second from Python against the Java API's own loop, in the same process and run.

    python python/bench/throughput.py                      # PickNext, 4 CPUs, 16 envs, 3 rounds of 3 s
    python python/bench/throughput.py --env ghost/Placement-v0 --envs 16 --seconds 5 --rounds 5

Every loop does the same simulation work: each env takes the first action its mask allows (the
same actions in every loop), episodes of --tasks tasks, autoreset. Measured:

  java 1 / java N     Java's SyncVectorEnv stepped by a Java loop (BatchStepper.runFirstAllowed,
                      one JPype call for the whole run): what a Java caller gets.
  java N BatchStepper the same Java loop through BatchStepper's buffers: their cost without Python.
  python 1 env        gymnasium.make(...) stepped from Python, full info every step.
  python N vector     GhostVectorEnv (one JVM call per batch; observations, rewards, flags and
                      masks in shared buffers), copy=True (fresh arrays) and copy=False (views).
  python N sync       gymnasium.vector.SyncVectorEnv of N single envs, for comparison.

Rounds alternate the loops so that a noisy neighbour hits them alike. Each loop reports env-steps
per second of CPU time of the thread that steps (every loop here steps on the calling thread: JPype
runs Java on it; robust on a shared machine, where wall time depends on the neighbours) and per
wall-clock second; medians of the rounds, and the ratio of the N-env Python vector env to Java's
N-env loops.
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
        t, c = time.perf_counter(), time.thread_time()
        steps = int(BatchStepper.runFirstAllowed(venv, 1, batches))
        dt, dc = time.perf_counter() - t, time.thread_time() - c
        if dt >= seconds or batches > 1 << 26:
            venv.close()
            return steps, dt, dc
        batches = int(batches * max(2.0, 1.2 * seconds / max(dt, 1e-3)))


def java_stepper_loop(java_id, n, options, seconds):
    """Java's loop over the BatchStepper: the buffers' cost without Python."""
    ghost_gym.start_jvm()
    BatchStepper = jpype.JClass("dev.ghostgym.gym.vector.BatchStepper")
    AutoresetMode = jpype.JClass("dev.ghostgym.gym.vector.AutoresetMode")
    stepper = BatchStepper.make(java_id, n, ghost_gym._convert.to_java_map(options), None, 1, AutoresetMode.NEXT_STEP)
    batches = 64
    while True:
        t, c = time.perf_counter(), time.thread_time()
        steps = int(stepper.runFirstAllowed(1, batches))
        dt, dc = time.perf_counter() - t, time.thread_time() - c
        if dt >= seconds or batches > 1 << 26:
            stepper.close()
            return steps, dt, dc
        batches = int(batches * max(2.0, 1.2 * seconds / max(dt, 1e-3)))


def python_vector(java_id, n, options, seconds, copy):
    envs = GhostVectorEnv(java_id, n, copy=copy, **options)
    _, info = envs.reset(seed=1)
    steps, t0, c0 = 0, time.perf_counter(), time.thread_time()
    while True:
        for _ in range(100):
            _, _, _, _, info = envs.step(np.argmax(info["action_mask"], axis=1))
        steps += 100 * n
        dt = time.perf_counter() - t0
        if dt >= seconds:
            envs.close()
            return steps, dt, time.thread_time() - c0


def python_sync(py_id, n, options, seconds):
    envs = gym.vector.SyncVectorEnv([lambda: gym.make(py_id, **options) for _ in range(n)])
    _, info = envs.reset(seed=1)
    steps, t0, c0 = 0, time.perf_counter(), time.thread_time()
    while True:
        for _ in range(20):
            _, _, _, _, info = envs.step(np.argmax(info["action_mask"], axis=1))
        steps += 20 * n
        dt = time.perf_counter() - t0
        if dt >= seconds:
            envs.close()
            return steps, dt, time.thread_time() - c0


def python_single(py_id, options, seconds):
    env = gym.make(py_id, **options)
    _, info = env.reset(seed=1)
    steps, t0, c0 = 0, time.perf_counter(), time.thread_time()
    while True:
        for _ in range(100):
            _, _, term, trunc, info = env.step(int(np.argmax(info["action_mask"])))
            if term or trunc:
                _, info = env.reset()
        steps += 100
        dt = time.perf_counter() - t0
        if dt >= seconds:
            env.close()
            return steps, dt, time.thread_time() - c0


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
        f"java {n} envs (Java loop over BatchStepper)": lambda: java_stepper_loop(args.env, n, options, args.seconds),
        "python 1 env (gymnasium.make)": lambda: python_single(py_id, options, args.seconds),
        f"python {n} envs (GhostVectorEnv)": lambda: python_vector(args.env, n, options, args.seconds, True),
        f"python {n} envs (GhostVectorEnv, copy=False)": lambda: python_vector(args.env, n, options, args.seconds,
                                                                                False),
    }
    if not args.skip_sync:
        loops[f"python {n} envs (gymnasium SyncVectorEnv)"] = lambda: python_sync(py_id, n, options, args.seconds)
    ghost_gym.start_jvm()
    java_loop(args.env, n, options, 1.0)  # warm-up: class loading, JIT
    python_vector(args.env, n, options, 1.0, True)
    wall = {k: [] for k in loops}
    cpu = {k: [] for k in loops}
    for _ in range(args.rounds):
        for name, loop in loops.items():
            steps, dt, dc = loop()
            wall[name].append(steps / dt)
            cpu[name].append(steps / dc)
    print(f"{args.env}, options {options}, {args.rounds} rounds of {args.seconds:g} s per loop; "
          f"{platform.python_implementation()} {platform.python_version()}, Java "
          f"{jpype.JClass('java.lang.System').getProperty('java.version')}, {os.cpu_count()} CPUs")
    print(f"  {'loop':48s} {'per CPU second':>16s} {'per wall second':>16s}   (medians of the rounds)")
    for name in loops:
        print(f"  {name:48s} {np.median(cpu[name]):16,.0f} {np.median(wall[name]):16,.0f}")
    py_n, views = f"python {n} envs (GhostVectorEnv)", f"python {n} envs (GhostVectorEnv, copy=False)"
    for java_n in (f"java {n} envs (Java loop)", f"java {n} envs (Java loop over BatchStepper)"):
        for label, values in (("per CPU second", cpu), ("per wall second", wall)):
            ratio = np.median(values[py_n]) / np.median(values[java_n])
            ratio_views = np.median(values[views]) / np.median(values[java_n])
            print(f"  {py_n} / {java_n}, {label}: {ratio:.0%} (copy=False: {ratio_views:.0%})")


if __name__ == "__main__":
    main()
