"""The model catalogue: one spec per model (registry) and how each is built (factories)."""
