"""Benchmarks and the synthetic data they run on (issue 7). Not tests: `make bench` runs them on PostgreSQL."""
