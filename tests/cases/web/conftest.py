"""The case pages' browser tests use the shared fixtures of tests/browser_fixtures.py."""
