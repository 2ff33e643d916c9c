"""Podium's benchmarks against its anchors: ``python -m bench --help`` (``make bench``).

Measurements and ratios are printed, never asserted. See bench/README.md and bench/RESULTS.md.
"""
