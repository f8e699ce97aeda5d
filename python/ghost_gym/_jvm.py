"""The JVM inside this Python process: finding (or building) the jar, starting it once, refusing fork.

ghost-gym's simulator is Java. It runs in this process through JPype (a call costs about a
microsecond; a socket round trip costs 150 us or more), so there is exactly one JVM per process,
started on first use. A JVM does not survive ``fork()``: a forked child has the parent's memory but
none of its JVM threads, so any call would hang. The child is detected (``os.register_at_fork``,
and the pid as a second check) and every entry point raises :class:`ForkError` instead.

Where the jar comes from, first match wins:

1. ``GHOST_GYM_JAR``: a jar built by ``mvn -pl python -am package`` (``python/target/ghost-gym-python.jar``);
2. a ghost-gym checkout: ``GHOST_GYM_HOME``, else the checkout this package was installed from
   (recorded by setup.py), else one above this file or the working directory. Its
   ``python/target/ghost-gym-python.jar`` is (re)built with Maven when missing or older than a source.

The jar holds gym, actors, sim, config and abi, and deliberately not the learn module: DJL would load
its own libtorch next to the user's PyTorch.
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import threading
import warnings
from pathlib import Path

from .errors import ForkError, GhostGymError, JarNotFoundError, JavaNotFoundError, JVMStartError

JAR_NAME = "ghost-gym-python.jar"
MIN_JAVA = 17

_lock = threading.Lock()
_started_pid: int | None = None
_forked = False
_jar: Path | None = None


def _after_fork_in_child() -> None:
    global _forked
    if _started_pid is not None:
        _forked = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def in_forked_child() -> bool:
    """True in a process forked after this package started the JVM in its parent."""
    return _started_pid is not None and (_forked or os.getpid() != _started_pid)


def check_process() -> None:
    """Raises :class:`ForkError` in a forked child of a process that had started the JVM."""
    if _started_pid is not None and (_forked or os.getpid() != _started_pid):
        raise ForkError(
            f"ghost_gym: this process (pid {os.getpid()}) was forked from pid {_started_pid} after the "
            "JVM had started there, and a JVM does not survive fork(): a call would hang. Create ghost_gym "
            "environments in the process that uses them: use ghost_gym.vector.GhostVectorEnv or "
            "ghost_gym.sb3.GhostVecEnv (all envs in one call, no worker processes) instead of "
            "SubprocVecEnv / AsyncVectorEnv, or start worker processes with multiprocessing's 'spawn' or "
            "'forkserver' start method.")


def _is_checkout(p: Path) -> bool:
    return (p / "pom.xml").is_file() and (p / "python" / "pom.xml").is_file() and (p / "gym").is_dir()


def _checkout() -> Path | None:
    home = os.environ.get("GHOST_GYM_HOME")
    if home:
        if not _is_checkout(Path(home)):
            raise JarNotFoundError(f"GHOST_GYM_HOME={home} is not a ghost-gym checkout "
                                   "(expected pom.xml, python/pom.xml and gym/ there)")
        return Path(home).resolve()
    candidates = []
    try:
        from ._checkout import CHECKOUT  # written by setup.py into an installed package
        candidates.append(Path(CHECKOUT))
    except ImportError:
        pass
    for base in (Path(__file__).resolve().parent, Path.cwd().resolve()):
        candidates.extend([base, *base.parents])
    for p in candidates:
        if _is_checkout(p):
            return p
    return None


def _newer_source(root: Path, jar: Path) -> Path | None:
    """A source or pom newer than the jar (as the ./ghost-gym launcher checks), or None."""
    built = jar.stat().st_mtime
    for pom in [root / "pom.xml", *root.glob("*/pom.xml")]:
        if pom.stat().st_mtime > built:
            return pom
    for main in root.glob("*/src/main"):
        for dirpath, _, files in os.walk(main):
            for f in files:
                p = Path(dirpath, f)
                if p.stat().st_mtime > built:
                    return p
    return None


def _build(root: Path, reason: str) -> None:
    mvn = shutil.which("mvn")
    cmd = ["mvn", "-q", "-B", "-DskipTests", "package", "-pl", "python", "-am"]
    if mvn is None:
        raise JarNotFoundError(
            f"ghost_gym needs the Java jar {root / 'python' / 'target' / JAR_NAME} ({reason}), and Maven "
            f"(mvn) is not installed to build it. Install Maven 3.8+ and a JDK {MIN_JAVA}+, or build it "
            f"elsewhere with `{' '.join(cmd)}` and set GHOST_GYM_JAR to its path.")
    print(f"ghost_gym: building the Java jar ({reason}): {' '.join(cmd)} ...", file=sys.stderr, flush=True)
    done = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        tail = "\n".join(done.stdout.strip().splitlines()[-30:])
        raise JarNotFoundError(f"ghost_gym: building the jar failed (`{' '.join(cmd)}` in {root}, "
                               f"exit {done.returncode}):\n{tail}")


def find_jar() -> Path:
    """The jar to start the JVM with, built first when it is missing or older than the sources."""
    explicit = os.environ.get("GHOST_GYM_JAR")
    if explicit:
        if not Path(explicit).is_file():
            raise JarNotFoundError(f"GHOST_GYM_JAR={explicit} is not a file; build the jar with "
                                   "`mvn -pl python -am package -DskipTests` in a ghost-gym checkout")
        return Path(explicit).resolve()
    root = _checkout()
    if root is None:
        raise JarNotFoundError(
            "ghost_gym cannot find its Java jar: set GHOST_GYM_JAR to ghost-gym-python.jar (built in a "
            "ghost-gym checkout by `mvn -pl python -am package -DskipTests`, at python/target/), or "
            "GHOST_GYM_HOME to a ghost-gym checkout, or run from inside one.")
    jar = root / "python" / "target" / JAR_NAME
    if not jar.is_file():
        _build(root, "not built yet")
    else:
        newer = _newer_source(root, jar)
        if newer is not None:
            if shutil.which("mvn") is None:
                warnings.warn(f"ghost_gym: {newer} is newer than {jar}, but Maven is not installed to "
                              "rebuild it; using the old jar", stacklevel=3)
            else:
                _build(root, f"{newer.relative_to(root)} changed")
    return jar


def _java_version(jpype) -> str:
    return str(jpype.JClass("java.lang.System").getProperty("java.specification.version"))


def start() -> None:
    """Starts the JVM with the jar, once per process; later calls only check for fork."""
    global _started_pid, _jar
    check_process()
    if _started_pid is not None:
        return
    with _lock:
        if _started_pid is not None:
            return
        import jpype
        jar = find_jar()
        if jpype.isJVMStarted():
            # started by someone else in this process: usable only if our classes are on its class path
            try:
                jpype.JClass("dev.ghostgym.gym.vector.BatchStepper")
            except Exception as e:
                raise JVMStartError(
                    "ghost_gym: a JVM was already started in this process (by other code using JPype) "
                    f"without {jar} on its class path; JPype cannot start a second JVM. Start it with "
                    "that jar in classpath, or import ghost_gym first.") from e
        else:
            try:
                jvm_path = jpype.getDefaultJVMPath()
            except Exception as e:
                raise JavaNotFoundError(
                    f"ghost_gym needs Java {MIN_JAVA} or newer, and none was found ({e}). Install a JDK "
                    f"(Debian/Ubuntu: apt-get install openjdk-{MIN_JAVA}-jre-headless) or set JAVA_HOME to "
                    "one.") from e
            opts = shlex.split(os.environ.get("GHOST_GYM_JAVA_OPTS", ""))
            try:
                jpype.startJVM(jvm_path, *opts, classpath=[str(jar)], convertStrings=False)
            except Exception as e:
                raise JVMStartError(f"ghost_gym: the JVM at {jvm_path} did not start with {jar} "
                                    f"(GHOST_GYM_JAVA_OPTS={os.environ.get('GHOST_GYM_JAVA_OPTS', '')!r}): {e}"
                                    ) from e
            version = _java_version(jpype)
            if int(version.split(".")[-1] if version.startswith("1.") else version.split(".")[0]) < MIN_JAVA:
                raise JVMStartError(f"ghost_gym needs Java {MIN_JAVA} or newer; the JVM found ({jvm_path}) is "
                                    f"Java {version}. Set JAVA_HOME to a JDK {MIN_JAVA}+.")
        _jar = jar
        _started_pid = os.getpid()


def jar_path() -> Path | None:
    """The jar the JVM was started with (None before it started)."""
    return _jar


def java_class(name: str):
    """A Java class by name, starting the JVM first if needed."""
    start()
    import jpype
    return jpype.JClass(name)


__all__ = ["start", "find_jar", "check_process", "java_class", "jar_path", "in_forked_child", "GhostGymError"]
