"""Where the jar comes from, and one clear error for each thing that can be missing."""
import os
import shutil
import time
import zipfile
from pathlib import Path

import gymnasium as gym

import ghost_gym
from ghost_gym import _jvm

from conftest import run_python

PROBE = """
import gymnasium, ghost_gym
try:
    gymnasium.make("ghost_gym/PickNext-v0")
    print("STARTED")
except ghost_gym.GhostGymError as e:
    print(type(e).__name__)
    print(e)
"""


def test_the_jar_has_gym_and_no_learn_module_nor_djl():
    gym.make("ghost_gym/PickNext-v0")  # starts the JVM
    jar = ghost_gym.jar_path()
    assert jar is not None and jar.name == "ghost-gym-python.jar"
    names = zipfile.ZipFile(jar).namelist()
    assert "dev/ghostgym/gym/vector/BatchStepper.class" in names
    assert "dev/ghostgym/sim/Machine.class" in names
    assert not [n for n in names if n.startswith(("ai/djl/", "dev/ghostgym/learn/"))]
    assert not [n for n in names if "libtorch" in n or n.endswith((".so", ".dylib", ".dll")) and "torch" in n]


def test_ghost_gym_jar_pointing_nowhere_is_one_clear_error(tmp_path):
    out = run_python(PROBE, {"GHOST_GYM_JAR": str(tmp_path / "nope.jar")})
    lines = out.stdout.splitlines()
    assert lines[0] == "JarNotFoundError", out.stdout + out.stderr
    assert lines[1].startswith(f"GHOST_GYM_JAR={tmp_path / 'nope.jar'} is not a file")


def test_ghost_gym_jar_is_used_as_given():
    jar = _jvm.find_jar()
    out = run_python(PROBE + "print(ghost_gym.jar_path())", {"GHOST_GYM_JAR": str(jar)})
    assert out.stdout.splitlines() == ["STARTED", str(jar)], out.stderr


def _fake_checkout(root: Path) -> Path:
    (root / "python").mkdir(parents=True)
    (root / "gym" / "src" / "main").mkdir(parents=True)
    (root / "pom.xml").write_text("<project/>")
    (root / "python" / "pom.xml").write_text("<project/>")
    return root


def test_a_checkout_without_jar_and_without_maven_says_what_to_install(tmp_path):
    root = _fake_checkout(tmp_path / "checkout")
    empty = tmp_path / "bin"
    empty.mkdir()
    out = run_python(PROBE, {"GHOST_GYM_HOME": str(root), "PATH": str(empty)})
    lines = out.stdout.splitlines()
    assert lines[0] == "JarNotFoundError", out.stdout + out.stderr
    assert "Maven (mvn) is not installed" in lines[1] and "GHOST_GYM_JAR" in lines[1]


def test_the_checkout_is_found_above_the_package_from_any_directory():
    out = run_python(PROBE.replace("import gymnasium", "import os; os.chdir('/'); import gymnasium"),
                     {"PYTHONPATH": str(Path(ghost_gym.__file__).parent.parent)})
    assert out.stdout.splitlines()[0] == "STARTED", out.stdout + out.stderr


def test_no_checkout_anywhere_says_how_to_point_at_the_jar(tmp_path):
    shutil.copytree(Path(ghost_gym.__file__).parent, tmp_path / "ghost_gym",  # a copy outside any checkout
                    ignore=shutil.ignore_patterns("_checkout.py", "__pycache__"))
    out = run_python(PROBE.replace("import gymnasium", "import os; os.chdir('/'); import gymnasium"),
                     {"PYTHONPATH": str(tmp_path)})
    lines = out.stdout.splitlines()
    assert lines[0] == "JarNotFoundError", out.stdout + out.stderr
    assert lines[1].startswith("ghost_gym cannot find its Java jar: set GHOST_GYM_JAR")


def test_a_bad_ghost_gym_home_is_named(tmp_path):
    out = run_python(PROBE, {"GHOST_GYM_HOME": str(tmp_path)})
    assert out.stdout.splitlines()[:2] == [
        "JarNotFoundError",
        f"GHOST_GYM_HOME={tmp_path} is not a ghost-gym checkout (expected pom.xml, python/pom.xml and gym/ there)"]


def test_no_java_is_one_clear_error():
    code = ("import jpype\n"
            "def none(): raise jpype.JVMNotFoundException('No JVM shared library file (libjvm.so) found.')\n"
            "jpype.getDefaultJVMPath = none\n" + PROBE)
    out = run_python(code)
    lines = out.stdout.splitlines()
    assert lines[0] == "JavaNotFoundError", out.stdout + out.stderr
    assert lines[1].startswith("ghost_gym needs Java 17 or newer, and none was found")
    assert "JAVA_HOME" in lines[1]


def test_a_jvm_that_cannot_start_is_one_clear_error():
    out = run_python(PROBE, {"GHOST_GYM_JAVA_OPTS": "-XX:+NoSuchOptionAnywhere"})
    lines = out.stdout.splitlines()
    assert lines and lines[0] == "JVMStartError", out.stdout + out.stderr
    assert "did not start" in lines[1] and "-XX:+NoSuchOptionAnywhere" in lines[1]


def test_a_source_newer_than_the_jar_is_found(tmp_path):
    root = _fake_checkout(tmp_path / "c")
    jar = root / "python" / "target" / "ghost-gym-python.jar"
    jar.parent.mkdir()
    jar.write_bytes(b"")
    src = root / "gym" / "src" / "main" / "A.java"
    src.write_text("class A {}")
    old = time.time() - 100
    for p in (src, root / "pom.xml", root / "python" / "pom.xml"):
        os.utime(p, (old, old))
    assert _jvm._newer_source(root, jar) is None
    os.utime(src, (time.time() + 5, time.time() + 5))
    assert _jvm._newer_source(root, jar) == src
