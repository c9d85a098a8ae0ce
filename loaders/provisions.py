"""Provisions of UNTOC and its Protocols: parse and format their notation and eIds.

Notation as analysts write it: instrument key, article, then paragraph and
subparagraph in brackets; a subparagraph directly under an article (TIP 3(a))
has no paragraph.

>>> p = Provision.parse("TIP 6(3)(d)")
>>> p.eid, p.notation
('art_6__para_3__subpara_d', 'TIP 6(3)(d)')
>>> Provision.parse("TIP 3(a)").eid
'art_3__subpara_a'
>>> Provision.parse("UNTOC 26").parent() is None
True
>>> Provision.parse("TIP 6(3)(d)").parent().notation
'TIP 6(3)'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEYS = ("UNTOC", "TIP", "SOM", "FIREARMS")
_NOTATION = re.compile(
    r"^\s*(?P<key>UNTOC|TIP|SOM|FIREARMS)\s+(?P<art>\d{1,2})"
    r"(?:\s*\((?P<para>\d{1,2})\))?(?:\s*\((?P<sub>[a-z])\))?\s*$",
    re.IGNORECASE,
)


class ProvisionError(ValueError):
    """A provision string that is not in Palermo's notation."""


@dataclass(frozen=True, order=True)
class Provision:
    instrument: str
    article: int
    paragraph: int | None = None
    subparagraph: str | None = None

    @classmethod
    def parse(cls, text: str) -> Provision:
        found = _NOTATION.match(text)
        if not found:
            raise ProvisionError(
                f"{text!r} is not a provision; write it as KEY ARTICLE(PARAGRAPH)(LETTER) with "
                f"KEY one of {', '.join(KEYS)}, e.g. 'TIP 6(2)', 'UNTOC 26', 'TIP 3(a)'"
            )
        para = found.group("para")
        sub = found.group("sub")
        return cls(
            found.group("key").upper(),
            int(found.group("art")),
            int(para) if para else None,
            sub.lower() if sub else None,
        )

    @property
    def notation(self) -> str:
        out = f"{self.instrument} {self.article}"
        if self.paragraph is not None:
            out += f"({self.paragraph})"
        if self.subparagraph:
            out += f"({self.subparagraph})"
        return out

    @property
    def eid(self) -> str:
        out = f"art_{self.article}"
        if self.paragraph is not None:
            out += f"__para_{self.paragraph}"
        if self.subparagraph:
            out += f"__subpara_{self.subparagraph}"
        return out

    def parent(self) -> Provision | None:
        """The provision this one is part of (None for an article)."""
        if self.subparagraph:
            return Provision(self.instrument, self.article, self.paragraph)
        if self.paragraph is not None:
            return Provision(self.instrument, self.article)
        return None
