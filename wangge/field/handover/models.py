"""Models of the handover app."""

from __future__ import annotations
