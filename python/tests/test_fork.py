"""A JVM does not survive fork(): a forked child gets a clear ForkError instead of a hang."""
import multiprocessing
import os
import signal
import time

import gymnasium as gym
import pytest

import ghost_gym

from conftest import SMALL


def _wait(pid: int, seconds: float) -> int:
    deadline = time.time() + seconds
    while time.time() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail(f"forked child {pid} hung for {seconds} s")


@pytest.mark.parametrize("call", ["step", "reset", "make", "close"])
def test_use_after_fork_raises_fork_error(call):
    env = gym.make("ghost_gym/PickNext-v0", **SMALL)
    env.reset(seed=1)
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 3
        try:
            signal.alarm(30)
            if call == "step":
                env.step(0)
            elif call == "reset":
                env.reset()
            elif call == "make":
                gym.make("ghost_gym/Placement-v0")
            else:
                env.close()  # closing is allowed: nothing in Java is touched
                code = 0
        except ghost_gym.ForkError as e:
            code = 0 if "does not survive fork()" in str(e) and str(os.getpid()) in str(e) else 2
        except BaseException:
            code = 1
        os._exit(code)
    assert _wait(pid, 60) == 0
    env.step(0)  # the parent's JVM is unharmed
    env.close()


def _child_makes_an_env(queue):
    try:
        gym.make("ghost_gym/PickNext-v0")
        queue.put("no error")
    except ghost_gym.ForkError as e:
        queue.put("ForkError: " + str(e))


def test_multiprocessing_fork_child_gets_fork_error_and_spawn_child_works():
    gym.make("ghost_gym/PickNext-v0", **SMALL)  # the JVM runs in this process
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_child_makes_an_env, args=(q,))
    p.start()
    msg = q.get(timeout=60)
    p.join(30)
    assert msg.startswith("ForkError: ghost_gym: this process"), msg
    assert "'spawn' or 'forkserver'" in msg


def test_sb3_subprocess_workers_with_spawn_get_their_own_jvm():
    """'spawn' children start fresh: each may start its own JVM (SB3's SubprocVecEnv default is forkserver)."""
    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child_makes_an_env, args=(q,))
    p.start()
    assert q.get(timeout=120) == "no error"
    p.join(30)
