"""The errors ghost_gym raises. Java exceptions arrive as :class:`JavaError` subclasses carrying the
Java message; the JPype exception (with the Java stack trace) is their ``__cause__``."""
from __future__ import annotations


class GhostGymError(RuntimeError):
    """Base of ghost_gym's own errors."""


class JavaNotFoundError(GhostGymError):
    """No Java runtime (17+) was found to start."""


class JarNotFoundError(GhostGymError):
    """The ghost-gym jar is not there and cannot be built."""


class JVMStartError(GhostGymError):
    """A JVM was found but could not be started with the jar (or is too old)."""


class ForkError(GhostGymError):
    """ghost_gym was used in a process forked after the JVM started in its parent."""


class JavaError(GhostGymError):
    """A Java exception; ``str(e)`` is the Java message, ``e.java_class`` the exception's class name."""

    def __init__(self, message: str, java_class: str = ""):
        super().__init__(message)
        self.java_class = java_class


class JavaValueError(JavaError, ValueError):
    """A Java ``IllegalArgumentException``: a bad option, action or seed (also a ``ValueError``)."""


class JavaStateError(JavaError):
    """A Java ``IllegalStateException``: a call out of order, or a sub-env that failed."""


class JavaUnsupportedError(JavaError, NotImplementedError):
    """A Java ``UnsupportedOperationException`` (also a ``NotImplementedError``)."""


_BY_CLASS = {
    "java.lang.IllegalArgumentException": JavaValueError,
    "java.lang.NumberFormatException": JavaValueError,
    "java.lang.IllegalStateException": JavaStateError,
    "java.lang.UnsupportedOperationException": JavaUnsupportedError,
}


def from_java(e, single: bool = False) -> JavaError:
    """The Python error for a JPype Java exception ``e`` (raise it ``from e``).

    A vector env wraps a sub-env's exception ("sub-env 3 failed in step: <cause>"): the Python class
    follows the cause, and the message keeps the sub-env's index but gives the cause's own message;
    with ``single`` (one env, where the index says nothing) the message is the cause's alone.
    """
    root = e
    while root.getCause() is not None and root.getCause() != root:
        root = root.getCause()
    cls = str(root.getClass().getName())
    text = _message(root)
    if root is not e and not single:
        outer = _message(e)
        text = outer.replace(str(root.toString()), text) if str(root.toString()) in outer else outer
    return _BY_CLASS.get(cls, JavaError)(text, cls)


def _message(e) -> str:
    m = e.getMessage()
    return str(m) if m is not None else str(e.getClass().getName())
