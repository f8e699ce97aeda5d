"""A native ``gymnasium.vector.VectorEnv``: a whole batch of Java envs stepped in one call.

``gymnasium.make_vec("ghost_gym/PickNext-v0", num_envs=16)`` makes one (the registered
``vector_entry_point``), as does ``GhostVectorEnv("ghost/PickNext-v0", 16)``. Actions go into Java
as one int32 array; observations, rewards, terminated/truncated and action masks come back in Java
direct buffers that numpy views without copying. Infos are built only where needed: every step has
``info["action_mask"]`` (num_envs x actions, bool), and envs whose episode ended add their
``metrics``; ``full_info=True`` converts every env's whole Java info at every step instead (slower).

Observations are flattened (``single_observation_space`` is a float32 Box: Discretes one-hot, Dict
keys in the Java order, exactly Java's ``Space.flatten``), the form MLP policies take; the structured
space is ``single_dict_observation_space`` and :meth:`unflatten` rebuilds a value from a row.
"""
from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode
from gymnasium.vector.utils import batch_space

from ._convert import unflattener
from ._stepper import NEXT_STEP, SAME_STEP, Stepper

_MODES = {AutoresetMode.NEXT_STEP: NEXT_STEP, AutoresetMode.SAME_STEP: SAME_STEP}


class GhostVectorEnv(gym.vector.VectorEnv):
    """``num_envs`` copies of the Java env ``java_id``, stepped in one JVM call.

    Args:
        java_id: the Java id (``ghost/PickNext-v0``, ``ghost/SeedCompat-v0``, ``ghost/Placement-v0``).
        num_envs: number of envs.
        autoreset_mode: ``AutoresetMode.NEXT_STEP`` (Gymnasium's default: the step after an env ended
            resets it, ignoring its action, reward 0) or ``SAME_STEP`` (reset within the ending step;
            the final observation is in ``info["final_obs"]``, its info in ``info["final_info"]``).
        workers: 1 steps the envs one after another on the calling thread (Java's SyncVectorEnv);
            more splits them over that many threads (Java's AsyncVectorEnv; pays off on idle cores).
        copy: return fresh arrays (default); False returns the buffers themselves, which the next
            step overwrites (as Gymnasium's ``copy=False``).
        full_info: convert each env's whole Java info (decision, trigger, cpu, now_ns, ...) every step.
        max_episode_steps: truncate episodes after this many steps (Java's TimeLimit).
        **options: Java options of every env (``cpus``, ``workload``, ``tasks``, ``load``, ...).
    """

    def __init__(self, java_id: str, num_envs: int = 1, *, autoreset_mode: AutoresetMode | str = AutoresetMode.NEXT_STEP,
                 workers: int = 1, copy: bool = True, full_info: bool = False, max_episode_steps: int | None = None,
                 render_mode: str | None = None, **options: Any):
        if render_mode is not None:
            raise ValueError(f"render_mode: ghost_gym envs do not render, got {render_mode!r}")
        mode = AutoresetMode(autoreset_mode)
        if mode not in _MODES:
            raise ValueError(f"autoreset_mode: expected NEXT_STEP or SAME_STEP, got {mode}")
        self.java_id = java_id
        self.options = dict(options)
        self._s = Stepper(java_id, num_envs, self.options, max_episode_steps=max_episode_steps, workers=workers,
                          autoreset=_MODES[mode])
        self.num_envs = self._s.n
        self.copy = copy
        self.full_info = full_info
        self.render_mode = None
        self.metadata = {"autoreset_mode": mode, "render_modes": []}
        self.single_dict_observation_space = self._s.observation_space
        self.single_observation_space = gym.spaces.Box(self._s.flat_low, self._s.flat_high, dtype=np.float32)
        self.single_action_space = self._s.action_space
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self._unflatten = unflattener(self.single_dict_observation_space)
        self._all = np.ones(self.num_envs, dtype=np.bool_)
        self._all.flags.writeable = False  # shared by every step's info["_action_mask"]

    def reset(self, *, seed: int | list | None = None, options: dict | None = None):
        """Resets every env; env i gets ``seed + i`` (a list must be ``[s, s + 1, ...]`` or all None)."""
        first = _first_seed(seed, self.num_envs)
        if first is not None:
            self._np_random, self._np_random_seed = gym.utils.seeding.np_random(first)
        self._s.reset(first, options)
        infos = self._infos(reset=True)
        return self._out(self._s.obs), infos

    def step(self, actions):
        s = self._s
        a = np.asarray(actions)
        if a.shape != (self.num_envs,):
            raise ValueError(f"actions: expected shape ({self.num_envs},) for {self.num_envs} envs, got {a.shape}")
        s.actions[:] = a
        ended = s.step()
        infos = self._infos(reset=False) if ended or self.full_info else {"action_mask": self._out(s.masks),
                                                                          "_action_mask": self._all}
        return self._out(s.obs), self._out(s.rewards), self._out(s.terminated), self._out(s.truncated), infos

    def _out(self, a: np.ndarray) -> np.ndarray:
        return a.copy() if self.copy else a

    def _infos(self, reset: bool) -> dict:
        s = self._s
        infos: dict = {"action_mask": self._out(s.masks), "_action_mask": self._all}
        same = self.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP
        for i in range(self.num_envs):
            if not (self.full_info or reset or s.terminated[i] or s.truncated[i]):
                continue
            info = s.info(i)
            if same and "final_info" in info:
                info["final_obs"] = s.final_obs[i].copy()
            infos = self._add_info(infos, info, i)
        return infos

    def action_masks(self) -> np.ndarray:
        """The valid actions of every env now, (num_envs, actions) bool (a copy)."""
        return self._s.masks.copy()

    def unflatten(self, row: np.ndarray):
        """The structured observation (``single_dict_observation_space``'s value) of one flat row."""
        return self._unflatten(np.asarray(row, dtype=np.float32))

    def close_extras(self, **kwargs):
        self._s.close()

    def __repr__(self) -> str:
        return f"GhostVectorEnv({self.java_id}, num_envs={self.num_envs})"


def info_of(infos: dict, i: int) -> dict:
    """Env i's own info from a Gymnasium vector info (a dict of arrays with ``_key`` masks)."""
    out = {}
    for key, value in infos.items():
        if key.startswith("_"):
            continue
        present = infos.get("_" + key)
        if present is not None and not present[i]:
            continue
        out[key] = info_of(value, i) if isinstance(value, dict) else value[i]
    return out


def _first_seed(seed, n: int):
    if seed is None or isinstance(seed, (int, np.integer)):
        return None if seed is None else int(seed)
    seeds = list(seed)
    if len(seeds) != n:
        raise ValueError(f"seed: a list needs {n} seeds, one per env, got {len(seeds)}")
    if all(x is None for x in seeds):
        return None
    if any(x is None for x in seeds) or any(int(x) != int(seeds[0]) + i for i, x in enumerate(seeds)):
        raise ValueError(f"seed: ghost_gym seeds env i with seed + i, so a list must be [s, s + 1, ...]; got {seeds}")
    return int(seeds[0])
