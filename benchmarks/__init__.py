"""Benchmarks: how each computation and page scales (``python -m benchmarks``).

Each ``bench_*.py`` module defines ``cases(size: int, url: str) -> list[Case]``; the runner
builds demo portfolios of each size in DuckDB, times every case (median of several runs) and
writes ``benchmarks/RESULTS.md``.
"""
