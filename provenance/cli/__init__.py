"""The command line: a thin layer over the library.

Each command parses its options, calls one library function and hands the result to
:mod:`provenance.output`. Library errors become readable messages and a non-zero exit here, in
one place. Heavy modules are imported inside the commands that need them, to start quickly.
The CLI may import any package; nothing imports the CLI.
"""

from __future__ import annotations

from provenance.cli.base import cli

# Importing the command modules registers their commands on the group.
from provenance.cli import data  # noqa: E402,F401  isort: skip
from provenance.cli import audit  # noqa: E402,F401  isort: skip
from provenance.cli import articles  # noqa: E402,F401  isort: skip
from provenance.cli import ask  # noqa: E402,F401  isort: skip
from provenance.cli import report  # noqa: E402,F401  isort: skip
from provenance.cli import db  # noqa: E402,F401  isort: skip
from provenance.cli import export  # noqa: E402,F401  isort: skip


def main() -> None:
    """Entry point of the ``provenance`` console script."""
    cli(prog_name="provenance")
