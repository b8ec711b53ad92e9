"""The one error the course's own checks raise on bad data: its message names the file, the row or
column, and what was expected. Commands catch it and exit 2 with that message, never a traceback."""

from __future__ import annotations


class DataError(ValueError):
    """A table or file does not match what was expected. The message says where and what was expected."""
