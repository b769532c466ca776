"""Benchmarks for wangge: ``python -m bench`` prints one table.

They build their own synthetic data in a temporary SQLite database, so they never touch
the data folder or a configured DATABASE_URL. Nothing here asserts a time: the numbers are
for reading, e.g. before and after a change to locate() or the partition check.
"""
