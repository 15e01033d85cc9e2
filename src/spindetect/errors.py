"""The base of spindetect's own errors: a problem worded for the user, one line, no traceback.

Each error names what is wrong (``path: what is wrong`` for a file); the command line prints
its message as one line and exits with code 2 (see ``spindetect.cli.exit_code``).
"""

from __future__ import annotations


class SpindetectError(Exception):
    """A problem with the user's input, options or files, worded for the user."""
