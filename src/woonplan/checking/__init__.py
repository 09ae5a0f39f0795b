"""Checking: plan models, plan rules, criteria, expressions, metrics, scoring and the check run.

Turns Documents into validated ``Plan`` models and ``PlanResult`` scores; a ``CheckReport`` is
the result of ``woonplan check``. Imports :mod:`woonplan.reading`; never prints.
"""
