"""`make bench`: the hot paths measured against baselines taken in the same run (docs/performance.md).

Run with `python -m micuenta.bench` (`--smoke` for the one-minute version that `make test` runs).
"""
