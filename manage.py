#!/usr/bin/env python
"""Django's command-line utility; the installed `tolpuddle` command does the same."""

from tolpuddle.cli import main

if __name__ == "__main__":
    main()
