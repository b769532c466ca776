"""wangge: grid-based city management for a district or subdistrict."""

__version__ = "0.1.0"
