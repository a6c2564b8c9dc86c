"""The one exception hierarchy of coopctl. Only fatal conditions raise; problems are data."""

from __future__ import annotations


class CoopctlError(Exception):
    """A fatal condition the user can act on. Mapped to an exit code in one place (the CLI)."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code


class UsageError(CoopctlError):
    """Bad options, a missing registry, a bad revision: exit 2."""

    exit_code = 2
