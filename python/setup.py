"""Records where the package was built from, so that an installed ghost_gym finds its checkout's jar.

Everything else is in pyproject.toml. `pip install ./python` builds from the checkout itself, so the
checkout's path is known at build time; ghost_gym/_checkout.py (written only into the build, never
into the source tree) tells the installed package where to find, or build, python/target's jar.
"""
import os

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithCheckout(build_py):
    def run(self):
        super().run()
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        if os.path.isfile(os.path.join(root, "pom.xml")):
            target = os.path.join(self.build_lib, "ghost_gym", "_checkout.py")
            with open(target, "w", encoding="utf-8") as f:
                f.write('"""Written by setup.py at build time."""\nCHECKOUT = %r\n' % root)


setup(cmdclass={"build_py": BuildPyWithCheckout})
