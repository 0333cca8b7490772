#!/usr/bin/env python3
"""Django's manage.py, for developers used to it; `chuangwen` is the same thing."""

from chuangwen.cli import main

if __name__ == "__main__":
    main()
