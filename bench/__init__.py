"""Benchmarks: a synthetic fostering service and timings of the pages people wait on."""
