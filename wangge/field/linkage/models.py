"""Models of the linkage app."""

from __future__ import annotations
