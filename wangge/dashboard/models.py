"""Models of the dashboard app."""

from __future__ import annotations
