"""Benchmarks: accuracy on a labelled corpus, and speed against the peers."""
