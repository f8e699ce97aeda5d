"""Java spaces and values as Gymnasium spaces and numpy values.

The Java spaces (``dev.ghostgym.gym.spaces``) are Gymnasium's, so the mapping is one to one:
Discrete(n, start) -> ``Discrete(n, start=start)`` (int64), Box(low, high, shape) float32 -> ``Box``
float32 with the same per-element bounds, MultiDiscrete(nvec, start) -> ``MultiDiscrete`` (int64),
MultiBinary(n) -> ``MultiBinary(n)`` (int8), Dict -> ``Dict`` keeping Java's key order (an
OrderedDict, which Gymnasium does not sort), Tuple -> ``Tuple``.

Observations cross the JVM boundary flattened (Java's ``Space.flattenInto``: one-hot Discretes, Dict
keys in order, float32), into a buffer numpy views; :func:`unflattener` compiles the inverse for a
space once, so an observation is rebuilt with slices and argmaxes, never with a call into Java.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable

import numpy as np
from gymnasium import spaces


def to_gym_space(js) -> spaces.Space:
    """The Gymnasium space equal to the Java space ``js``."""
    kind = str(js.getClass().getSimpleName())
    if kind == "Discrete":
        return spaces.Discrete(int(js.n()), start=int(js.start()))
    if kind == "Box":
        shape = tuple(int(x) for x in js.shape())
        low = np.asarray(js.low(), dtype=np.float32).reshape(shape)
        high = np.asarray(js.high(), dtype=np.float32).reshape(shape)
        return spaces.Box(low=low, high=high, shape=shape, dtype=np.float32)
    if kind == "MultiDiscrete":
        return spaces.MultiDiscrete(np.asarray(js.nvec(), dtype=np.int64), start=np.asarray(js.start(), dtype=np.int64))
    if kind == "MultiBinary":
        return spaces.MultiBinary(int(js.n()))
    if kind == "Dict":
        return spaces.Dict(OrderedDict((str(e.getKey()), to_gym_space(e.getValue()))
                                       for e in js.spaces().entrySet()))
    if kind == "Tuple":
        return spaces.Tuple([to_gym_space(s) for s in js.spaces()])
    raise TypeError(f"no Gymnasium space for the Java space {js} ({kind})")


def flat_dim(space: spaces.Space) -> int:
    """Length of the flat float32 form (Java's ``flatDim``; Gymnasium's ``flatdim``)."""
    if isinstance(space, spaces.Discrete):
        return int(space.n)
    if isinstance(space, spaces.Box):
        return int(np.prod(space.shape))
    if isinstance(space, spaces.MultiDiscrete):
        return int(np.sum(space.nvec))
    if isinstance(space, spaces.MultiBinary):
        return int(np.prod(space.shape))
    if isinstance(space, spaces.Dict):
        return sum(flat_dim(s) for s in space.spaces.values())
    if isinstance(space, spaces.Tuple):
        return sum(flat_dim(s) for s in space.spaces)
    raise TypeError(f"cannot flatten {space}")


def unflattener(space: spaces.Space, offset: int = 0) -> Callable[[np.ndarray], Any]:
    """A function from a flat float32 row to the value of ``space`` (the inverse of Java's flatten)."""
    if isinstance(space, spaces.Discrete):
        n, start, o = int(space.n), int(space.start), offset
        return lambda row: np.int64(start + int(np.argmax(row[o:o + n])))
    if isinstance(space, spaces.Box):
        size, shape, o = int(np.prod(space.shape)), space.shape, offset
        return lambda row: row[o:o + size].reshape(shape)
    if isinstance(space, spaces.MultiDiscrete):
        nvec = [int(x) for x in space.nvec]
        bounds = np.cumsum([0] + nvec)[:-1] + offset
        start = np.asarray(space.start, dtype=np.int64)
        return lambda row: start + np.array([np.argmax(row[b:b + k]) for b, k in zip(bounds, nvec)], dtype=np.int64)
    if isinstance(space, spaces.MultiBinary):
        size, shape, o = int(np.prod(space.shape)), space.shape, offset
        return lambda row: row[o:o + size].reshape(shape).astype(np.int8)
    if isinstance(space, (spaces.Dict, spaces.Tuple)):
        items = list(space.spaces.items()) if isinstance(space, spaces.Dict) else list(enumerate(space.spaces))
        parts, at = [], offset
        for key, sub in items:
            parts.append((key, unflattener(sub, at)))
            at += flat_dim(sub)
        if isinstance(space, spaces.Dict):
            return lambda row: {k: f(row) for k, f in parts}
        return lambda row: tuple(f(row) for _, f in parts)
    raise TypeError(f"cannot unflatten into {space}")


def to_java_map(d: dict | None):
    """A java.util.LinkedHashMap of a Python dict (keys as strings; values converted by JPype)."""
    import jpype
    m = jpype.JClass("java.util.LinkedHashMap")()
    for k, v in (d or {}).items():
        m.put(str(k), _to_java_value(k, v))
    return m


def _to_java_value(key, v):
    import jpype
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, (int, np.integer)):
        return jpype.JLong(int(v))
    if isinstance(v, (float, np.floating)):
        return jpype.JDouble(float(v))
    raise ValueError(f"option {key!r}: expected a number, string or bool, got {type(v).__name__} {v!r}")
