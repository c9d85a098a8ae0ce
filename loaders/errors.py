"""Errors and warnings meant for people: each names the file, where, and what to do."""

from __future__ import annotations

from dataclasses import dataclass


class LoadError(Exception):
    """A document cannot be read at all (empty, binary, unknown encoding, unknown kind)."""

    def __init__(self, path: str, reason: str, hint: str = "") -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.path}: {self.reason}"
        return f"{text}. {self.hint}" if self.hint else text


@dataclass(frozen=True)
class LoadWarning:
    """Something read but doubtful: a number out of sequence, a footnote without marker."""

    path: str
    line: int
    unit: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        unit = f" [{self.unit}]" if self.unit else ""
        return f"{where}{unit}: {self.message}"
