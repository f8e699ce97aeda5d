"""Shared fixtures: small, fast env options (an episode of a few hundred tasks on 2-4 CPUs)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import ghost_gym  # noqa: F401  registers the ids

SMALL = {"cpus": 2, "tasks": 200}
PYTHON_DIR = Path(__file__).resolve().parent.parent


def run_python(code: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Runs ``code`` in a fresh interpreter (for what needs a process without a JVM yet)."""
    full = {k: v for k, v in os.environ.items() if k not in ("GHOST_GYM_JAR", "GHOST_GYM_HOME")}
    full.update(env or {})  # the jar is found as each test says, not as the caller's environment says
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=full,
                          cwd=str(PYTHON_DIR))


@pytest.fixture
def small():
    return dict(SMALL)
