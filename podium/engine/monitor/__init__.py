"""Monitoring deployed pipelines: training baselines and drift reports (``drift.py``)."""
