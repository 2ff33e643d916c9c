"""Scripts the suites run in subprocesses (each prints one JSON line as its last output line).

``pycaret_compare.py`` runs in PyCaret's own virtual environment (bench/.venvs/pycaret) and must
import nothing from Podium or from ``bench``.
"""
