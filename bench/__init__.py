"""Performance benchmark: bench/run.py (see bench/README.md). Not part of the app."""
