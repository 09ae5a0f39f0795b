"""Reading: plan and criteria files into Documents (data, node tree, problems), safely.

Holds the bounded libyaml loader and the field-path → line:column lookup. Imports nothing of
woonplan's but :mod:`woonplan.problems` and :mod:`woonplan.text`.
"""
