"""``python -m reef``: the same command line as the ``reef`` script (docs/cli.md).

Example:
    python -m reef status --db community.duckdb
"""
from reef.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    main()
