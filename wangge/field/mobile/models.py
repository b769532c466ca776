"""Models of the mobile app."""

from __future__ import annotations
