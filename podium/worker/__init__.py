"""Podium's worker: claims queued jobs from the database, runs the engine, writes events.

Runs in its own process (``podium worker``, or the ones ``podium serve`` embeds). See README.md.
"""
