"""Stable-Baselines3's ``VecEnv`` on top of the native vector env: no subprocess workers.

SB3 would otherwise run each env in a worker process (``SubprocVecEnv``); a JVM does not survive
``fork()``, and one JVM per worker would cost memory and start-up for nothing, since one JVM call
steps all envs here. So::

    from sb3_contrib import MaskablePPO
    from stable_baselines3.common.vec_env import VecMonitor
    from ghost_gym.sb3 import GhostVecEnv

    env = VecMonitor(GhostVecEnv("ghost_gym/PickNext-v0", num_envs=8, cpus=4, tasks=500))
    model = MaskablePPO("MlpPolicy", env, seed=1).learn(50_000)

SB3 expects its own autoreset (an ended env is reset in the same step and its last observation is
``info["terminal_observation"]``, with ``info["TimeLimit.truncated"]`` for truncations): the Java
vector env runs in ``SAME_STEP`` mode for it. Observations are the flattened float32 Box (as
:class:`~ghost_gym.vector.GhostVectorEnv`); ``env_method("action_masks")`` gives sb3-contrib's
``MaskablePPO`` each env's valid actions. ``infos[i]["metrics"]`` has an ended episode's results.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium.vector import AutoresetMode
from stable_baselines3.common.vec_env.base_vec_env import VecEnv

from . import JAVA_IDS
from .vector import GhostVectorEnv, info_of


class GhostVecEnv(VecEnv):
    """``num_envs`` envs of ``env_id`` (``ghost_gym/PickNext-v0`` or the Java id) as one SB3 ``VecEnv``.

    Keywords are as for :class:`~ghost_gym.vector.GhostVectorEnv` (``workers``, ``max_episode_steps``)
    and the Java options (``cpus``, ``tasks``, ``workload``, ...).
    """

    def __init__(self, env_id: str = "ghost_gym/PickNext-v0", num_envs: int = 8, **kwargs: Any):
        java_id = JAVA_IDS.get(env_id, env_id)
        self.venv = GhostVectorEnv(java_id, num_envs, autoreset_mode=AutoresetMode.SAME_STEP, copy=True, **kwargs)
        self.render_mode = None
        self._actions: np.ndarray | None = None
        super().__init__(self.venv.num_envs, self.venv.single_observation_space, self.venv.single_action_space)

    def reset(self) -> np.ndarray:
        seeds = None if all(s is None for s in self._seeds) else self._seeds
        options = self._options[0] if self._options and self._options[0] else None
        if any(o != self._options[0] for o in self._options):
            raise ValueError("GhostVecEnv resets all envs with the same options; set_options got different ones")
        obs, infos = self.venv.reset(seed=seeds, options=options)
        self._reset_seeds()
        self._reset_options()
        self.reset_infos = [{} for _ in range(self.num_envs)]
        return obs

    def step_async(self, actions: np.ndarray) -> None:
        self._actions = np.asarray(actions).reshape(self.num_envs)

    def step_wait(self):
        obs, rewards, terminated, truncated, info = self.venv.step(self._actions)
        dones = terminated | truncated
        infos: list[dict] = [{} for _ in range(self.num_envs)]
        for i in np.flatnonzero(dones):
            infos[i]["terminal_observation"] = info["final_obs"][i]
            infos[i]["TimeLimit.truncated"] = bool(truncated[i] and not terminated[i])
            final = info_of(info["final_info"], i) if "final_info" in info else {}
            if "metrics" in final:
                infos[i]["metrics"] = final["metrics"]
        return obs, rewards.astype(np.float32), dones, infos

    def action_masks(self) -> np.ndarray:
        """Valid actions of every env, (num_envs, actions) bool."""
        return self.venv.action_masks()

    def env_method(self, method_name: str, *method_args, indices=None, **method_kwargs) -> list:
        if method_name != "action_masks":
            raise AttributeError(f"GhostVecEnv envs have no method {method_name!r} (only action_masks)")
        masks = self.venv.action_masks()
        return [masks[i] for i in self._get_indices(indices)]

    def get_attr(self, attr_name: str, indices=None) -> list:
        if attr_name == "action_masks":
            return [self.action_masks for _ in self._get_indices(indices)]
        if attr_name in ("render_mode", "spec"):
            return [None for _ in self._get_indices(indices)]
        if attr_name in ("observation_space", "action_space"):
            value = getattr(self, attr_name)
            return [value for _ in self._get_indices(indices)]
        raise AttributeError(f"GhostVecEnv envs have no attribute {attr_name!r}")

    def set_attr(self, attr_name: str, value: Any, indices=None) -> None:
        raise AttributeError(f"GhostVecEnv cannot set {attr_name!r}: the envs live in Java; pass options instead")

    def env_is_wrapped(self, wrapper_class, indices=None) -> list[bool]:
        return [False for _ in self._get_indices(indices)]

    def close(self) -> None:
        self.venv.close()
