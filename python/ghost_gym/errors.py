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


def from_java(e) -> JavaError:
    """The Python error for a JPype Java exception ``e`` (raise it ``from e``)."""
    cls = e.getClass().getName()
    message = e.getMessage()
    text = str(message) if message is not None else str(cls)
    return _BY_CLASS.get(str(cls), JavaError)(text, str(cls))
