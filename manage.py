#!/usr/bin/env python
"""Django's manage.py; the same as the ``wangge`` console command."""

from wangge.cli import main

if __name__ == "__main__":
    main()
