"""Podium: a self-hosted AutoML studio.

The engine (:mod:`podium.engine`) is a plain library; the server, worker and CLI build on it.
"""

__version__ = "0.1.0"
