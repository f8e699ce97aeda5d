"""The Java BatchStepper and numpy views of its direct buffers, shared by the single and vector envs.

One call steps every env; actions go in through ``actions`` (an int32 view the caller writes), and
observations, rewards, flags and masks come back in views of the same Java buffers, without a copy.
"""
from __future__ import annotations

import json

import numpy as np
from jpype import JException

from . import _jvm
from ._convert import to_gym_space, to_java_map
from .errors import from_java

NEXT_STEP = "NEXT_STEP"
SAME_STEP = "SAME_STEP"


def _view(buf, dtype, shape):
    return np.frombuffer(memoryview(buf), dtype=dtype).reshape(shape)


class Stepper:
    """``n`` Java envs of ``java_id`` behind one BatchStepper."""

    def __init__(self, java_id: str, num_envs: int, options: dict, *, max_episode_steps=None,
                 workers: int = 1, autoreset: str = NEXT_STEP):
        _jvm.start()
        import jpype
        self._single = int(num_envs) == 1
        BatchStepper = jpype.JClass("dev.ghostgym.gym.vector.BatchStepper")
        mode = jpype.JClass("dev.ghostgym.gym.vector.AutoresetMode").valueOf(autoreset)
        limit = None if max_episode_steps is None else jpype.JInt(int(max_episode_steps))
        try:
            self.java = BatchStepper.make(java_id, int(num_envs), to_java_map(options),
                                          jpype.JObject(limit, jpype.JClass("java.lang.Integer")),
                                          int(workers), mode)
        except JException as e:
            raise from_java(e, self._single) from e
        j = self.java
        self.n = int(j.numEnvs())
        self.dim = int(j.flatDim())
        self.action_count = int(j.actionCount())
        self.action_start = int(j.actionStart())
        self.observation_space = to_gym_space(j.singleObservationSpace())
        self.action_space = to_gym_space(j.singleActionSpace())
        flat = j.flatObservationSpace()
        self.flat_low = np.asarray(flat.low(), dtype=np.float32)
        self.flat_high = np.asarray(flat.high(), dtype=np.float32)
        self.actions = _view(j.actions(), np.int32, (self.n,))
        self.obs = _view(j.observations(), np.float32, (self.n, self.dim))
        self.final_obs = _view(j.finalObservations(), np.float32, (self.n, self.dim))
        self.rewards = _view(j.rewards(), np.float64, (self.n,))
        self.terminated = _view(j.terminated(), np.bool_, (self.n,))
        self.truncated = _view(j.truncated(), np.bool_, (self.n,))
        self.masks = _view(j.masks(), np.bool_, (self.n, self.action_count))
        self._step = j.stepFromBuffer  # bound once: the hot path
        self.closed = False

    def reset(self, seed, options) -> None:
        import jpype
        _jvm.check_process()
        jseed = None if seed is None else jpype.JObject(jpype.JLong(int(seed)), jpype.JClass("java.lang.Long"))
        try:
            self.java.reset(jseed, to_java_map(options))
        except JException as e:
            raise from_java(e, self._single) from e

    def step(self) -> int:
        """Steps with ``self.actions``; returns how many envs ended."""
        _jvm.check_process()
        try:
            return self._step()
        except JException as e:
            raise from_java(e, self._single) from e

    def info(self, i: int) -> dict:
        """Env i's info from the last reset or step, as Python values, without ``action_mask`` and
        ``final_obs`` (the buffers hold them)."""
        _jvm.check_process()
        try:
            return json.loads(str(self.java.infoJson(i)))
        except JException as e:
            raise from_java(e, self._single) from e

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if _jvm.in_forked_child():
            return  # the parent's JVM is not ours to touch; its memory goes with this process
        try:
            self.java.close()
        except JException as e:
            raise from_java(e, self._single) from e
