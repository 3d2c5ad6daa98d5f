"""The error hierarchy.

Every error a user can cause is a ``FactcheckError``. The CLI turns it into one line on
stderr (``Error: ...``) and an exit code: ``exit_code`` is 1 for a domain error (not found,
conflict, identical versions) and 2 for bad usage or unreadable input. Nothing below the
CLI prints or exits.
"""

from __future__ import annotations


class FactcheckError(Exception):
    """A failure the user can act on; the message is shown as is."""

    exit_code = 1


class UsageError(FactcheckError):
    """The request itself is malformed: a bad option value, an unknown status."""

    exit_code = 2


class InputError(FactcheckError):
    """An input file or page cannot be read or parsed."""

    exit_code = 2


class NoLastUpdate(InputError):
    """An input has no Last Update time that can be read; ``--updated-at`` can supply one."""


class NotFoundError(FactcheckError):
    """An article, version or claim that does not exist."""


class ConflictError(FactcheckError):
    """The request contradicts what is stored (e.g. two versions that are identical)."""


class DatabaseError(FactcheckError):
    """The database is missing, locked, read-only or at an unknown schema revision."""
