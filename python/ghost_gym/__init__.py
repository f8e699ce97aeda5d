"""ghost-gym's scheduling environments for Gymnasium, Stable-Baselines3 and CleanRL.

Importing the package registers, with Gymnasium::

    ghost_gym/SeedCompat-v0   ghost_gym/PickNext-v0   ghost_gym/Placement-v0

so ``gymnasium.make("ghost_gym/PickNext-v0", cpus=8)`` makes one env (:class:`GhostEnv`) and
``gymnasium.make_vec("ghost_gym/PickNext-v0", num_envs=16)`` the native vector env
(:class:`GhostVectorEnv`, one JVM call per batch). The simulator is Java, run in this process through
JPype; the JVM starts on first use (see :mod:`ghost_gym._jvm` for where the jar comes from).
Stable-Baselines3: :class:`ghost_gym.sb3.GhostVecEnv`. The manual is docs/PYTHON.md.
"""
from __future__ import annotations

import functools

import gymnasium as gym

from ._jvm import find_jar, jar_path
from ._jvm import start as start_jvm
from .env import GhostEnv
from .errors import (ForkError, GhostGymError, JarNotFoundError, JavaError, JavaNotFoundError, JavaStateError,
                     JavaUnsupportedError, JavaValueError, JVMStartError)
from .vector import GhostVectorEnv

__version__ = "0.1.0"

#: Python id -> Java id of each registered environment.
JAVA_IDS = {
    "ghost_gym/SeedCompat-v0": "ghost/SeedCompat-v0",
    "ghost_gym/PickNext-v0": "ghost/PickNext-v0",
    "ghost_gym/Placement-v0": "ghost/Placement-v0",
}


def _register() -> None:
    for py_id, java_id in JAVA_IDS.items():
        if py_id in gym.registry:
            continue
        gym.register(id=py_id, entry_point=functools.partial(GhostEnv, java_id),
                     vector_entry_point=functools.partial(GhostVectorEnv, java_id), disable_env_checker=False)


_register()

__all__ = ["GhostEnv", "GhostVectorEnv", "JAVA_IDS", "start_jvm", "find_jar", "jar_path", "GhostGymError",
           "JavaError", "JavaValueError", "JavaStateError", "JavaUnsupportedError", "JavaNotFoundError",
           "JarNotFoundError", "JVMStartError", "ForkError"]
