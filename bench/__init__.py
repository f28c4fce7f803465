"""Benchmarks, run by hand (``make bench BENCH_ARGS=booking``); results go to docs/benchmarks.md."""
