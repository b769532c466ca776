"""Helpers for the console-command tests."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


@dataclass
class Result:
    code: int
    out: str
    err: str
    message: str = ""  # the CommandError's one line, when the command failed


def wangge(*args: str) -> Result:
    """Run a management command as the console would, with its exit code and both streams."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return Result(exc.returncode, out.getvalue(), err.getvalue(), str(exc))
    return Result(0, out.getvalue(), err.getvalue())


@pytest.fixture
def run():
    return wangge
