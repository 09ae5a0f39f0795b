"""Progress: plan results aggregated into the region's figures (``RegionProgress``).

Each plan's part (``contributions``) is added up (``sums``) into the region's figures
(``region``, ``obstacles``), on which the policy tests are judged (``policy``). Also holds how
figures are rounded for people and JSON. Imports :mod:`woonplan.checking`.
"""
