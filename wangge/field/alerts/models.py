"""Models of the alerts app."""

from __future__ import annotations
