"""woonplan — check housing plans (woningbouwplannen) for Gooi en Vechtstreek.

The library is usable without the command line: load plans and criteria, evaluate them,
aggregate regional progress. Nothing in the core prints or exits.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("woonplan")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
