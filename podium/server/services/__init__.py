"""Business logic: module functions taking a session, returning rows, raising ``errors``.

Services never import FastAPI; the API layer maps their errors to statuses once.
"""
