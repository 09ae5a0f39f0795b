"""Changes: two snapshots of the plans (folders or git revisions) compared (``Changes``).

Reads each side with :mod:`woonplan.checking` (from a folder, or straight from git objects),
aggregates each with :mod:`woonplan.progress`, and compares them plan by plan. Never prints.
"""
