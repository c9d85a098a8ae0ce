"""Errors and warnings meant for people: each names the file, where, and what to do."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field


class LoadError(Exception):
    """A document cannot be read at all (empty, binary, unknown encoding, unknown kind)."""

    def __init__(self, path: str, reason: str, hint: str = "") -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        super().__init__(self.message)

    def __reduce__(self):
        """Pickled with its three fields (it travels back from extraction workers)."""
        return (type(self), (self.path, self.reason, self.hint))

    @property
    def message(self) -> str:
        text = f"{self.path}: {self.reason}"
        return f"{text}. {self.hint}" if self.hint else text


@dataclass(frozen=True)
class LoadWarning:
    """Something read but doubtful: a number out of sequence, a footnote without marker.

    Printed as ``file:line [unit]: message``. A warning raised while the tree is
    still being assembled names its unit by reference (``ref``), because notations
    ("4/37", "OP 2(b)") are only minted once the tree is whole; :meth:`resolved`
    then fills ``unit`` in.
    """

    path: str
    line: int
    unit: str
    message: str
    ref: object = field(default=None, compare=False, repr=False)

    def resolved(self) -> LoadWarning:
        """This warning with ``unit`` set from its referenced unit's notation."""
        if self.ref is None:
            return self
        label = getattr(self.ref, "label", "") or self.unit
        return dataclasses.replace(self, unit=label, ref=None)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        unit = f" [{self.unit}]" if self.unit else ""
        return f"{where}{unit}: {self.message}"
