"""One scheduling environment as a ``gymnasium.Env``.

``gymnasium.make("ghost_gym/PickNext-v0", cpus=8, slice="30us")`` makes one; every keyword is a Java
option (``workload``, ``cpus``, ``tasks``, ``reward``, ... and workload parameters such as ``load``;
see docs/PYTHON.md). The simulation stays in Java: a step is one call into the JVM, the observation
comes back flattened in a shared buffer and is rebuilt here as the Gymnasium space's value.

Seeding is Gymnasium's: ``reset(seed=s)`` seeds ``self.np_random`` and runs the Java episode with
seed ``s`` (the same episode as Java's ``env.reset(s)`` and ``ghost-gym simulate --seed s``);
``reset()`` without a seed draws the Java episode's seed from ``self.np_random``, so a run is a
function of its first seed.
"""
from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np

from ._convert import unflattener
from ._stepper import Stepper

_MAX_SEED = 2 ** 63 - 1


class GhostEnv(gym.Env):
    """The Java env ``java_id`` (e.g. ``ghost/PickNext-v0``) with ``options`` as its Java options.

    ``info["action_mask"]`` (bool, one per action) says which actions are valid now; the same mask is
    returned by :meth:`action_masks` for sb3-contrib's ``MaskablePPO``. An invalid action is answered
    by the env's fallback policy and counted in ``info["invalid_actions"]`` (option
    ``invalid_action="terminate"`` ends the episode instead). When an episode ends, ``info["metrics"]``
    holds its results (tasks completed, mean and p99 response, utilization, trace hash, ...).
    """

    metadata = {"render_modes": []}

    def __init__(self, java_id: str, render_mode: str | None = None, **options: Any):
        if render_mode is not None:
            raise ValueError(f"render_mode: ghost_gym envs do not render, got {render_mode!r}")
        self.render_mode = None
        self.java_id = java_id
        self.options = dict(options)
        self._s = Stepper(java_id, 1, self.options)
        self.observation_space = self._s.observation_space
        self.action_space = self._s.action_space
        self._unflatten = unflattener(self.observation_space)

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        if seed is not None and not 0 <= int(seed) <= _MAX_SEED:
            raise ValueError(f"seed: expected 0 .. 2**63 - 1, got {seed}")
        java_seed = int(seed) if seed is not None else int(self.np_random.integers(0, _MAX_SEED))
        self._s.reset(java_seed, options)
        return self._unflatten(self._s.obs[0].copy()), self._info()

    def step(self, action):
        try:
            self._s.actions[0] = int(action)
        except (TypeError, ValueError) as e:
            raise ValueError(f"action: expected an integer in {self.action_space}, got {action!r}") from e
        self._s.step()
        return (self._unflatten(self._s.obs[0].copy()), float(self._s.rewards[0]), bool(self._s.terminated[0]),
                bool(self._s.truncated[0]), self._info())

    def _info(self) -> dict:
        info = self._s.info(0)
        info["action_mask"] = self._s.masks[0].copy()
        return info

    def action_masks(self) -> np.ndarray:
        """The valid actions now (bool array), as sb3-contrib's ``MaskablePPO`` asks for them."""
        return self._s.masks[0].copy()

    def close(self):
        if hasattr(self, "_s"):
            self._s.close()
        super().close()

    def __repr__(self) -> str:
        return f"<GhostEnv {self.java_id} {self.options}>"
