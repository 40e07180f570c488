"""Benchmarks: scale data, query counts, latency against a bare-Flask floor, the deadline
rush and memory. Run from the repository root; results go to bench/results/."""
