"""The HTTP layer: typed dependencies and thin routes over the services."""
