"""woonplan — check housing plans (woningbouwplannen) for Gooi en Vechtstreek.

The library is usable without the command line: load plans and criteria, evaluate them,
aggregate regional progress. Nothing in the core prints or exits.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
