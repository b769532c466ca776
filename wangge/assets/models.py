"""Models of the assets app."""

from __future__ import annotations
