"""Preparing a table: read it, infer its schema and task, check it (guardrails), validate
settings, split it and build the preprocessing. Depends only on errors, events and standalone."""
