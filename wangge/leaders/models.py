"""Models of the leaders app."""

from __future__ import annotations
