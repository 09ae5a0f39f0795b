"""Progress: plan results aggregated into the region's figures (``RegionProgress``).

Also holds how figures are rounded for people and JSON. Imports :mod:`woonplan.checking`.
"""
