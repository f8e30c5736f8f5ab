"""Benchmarks of the register (see the README's "Benchmarks" section).

Each benchmark prints its figures as ratios against a baseline measured in the same run, never
as absolute thresholds: timings depend on the machine, ratios much less.
"""
