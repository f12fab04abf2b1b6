"""Benchmark harness (`make bench`): see README.md in this folder."""
