"""Documents not in the seeds, written in the same style, are read with no code change,
and the seeds are read the same without their manifest."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

from loaders import read_document, read_folder
from tests.conftest import SEEDS, by_label

SYNTHETIC = Path(__file__).parent / "data" / "synthetic"


def test_new_compilation_is_read() -> None:
    doc = read_document(SYNTHETIC / "wg-compilation-meetings-10-11.txt")
    assert (doc.kind, doc.body, doc.date) == ("wg-compilation", "WorkingGroup", dt.date(2025, 3, 3))
    assert [(m.number, m.start, m.end) for m in doc.meetings] == [
        (10, dt.date(2020, 11, 10), dt.date(2020, 11, 11)),
        (11, dt.date(2021, 10, 12), dt.date(2021, 10, 13)),
    ]
    units = by_label(doc)
    assert [u for u in units if "/" in u] == [
        "10/1",
        "10/2",
        "10/2(a)",
        "10/2(b)",
        "10/2(c)",
        "11/1",
        "11/2",
    ]
    facts = {
        label: (u.verb, u.addressee, [c.provision.notation for c in u.cites])
        for label, u in units.items()
        if "/" in label
    }
    assert facts == {
        "10/1": ("should", "StatesParties", []),
        "10/2": ("should", "StatesParties", []),
        "10/2(a)": ("should", "StatesParties", []),
        "10/2(b)": ("should", "StatesParties", []),
        "10/2(c)": ("should", "StatesParties", ["TIP 6(3)"]),
        "11/1": ("should", "UNODC", []),
        "11/2": ("should", "UNODC", ["UNTOC 24", "UNTOC 25"]),  # "المكتب" once UNODC is named
    }
    assert units["10/2(b)"].text == (
        "النظر في وضع برامج لإعادة إدماج الضحايا في المجتمع، وفقاً للتشريعات الداخلية؛^(١)"
    )
    assert [(n.label, n.unit.label) for n in doc.footnotes] == [("1", "10/2(b)")]
    assert doc.warnings == []


def test_new_cop_resolution_is_read() -> None:
    doc = read_document(SYNTHETIC / "cop-resolution-new.txt")
    assert (doc.kind, doc.body) == ("cop-resolution", "ConferenceOfTheParties")
    assert [u.label for u in doc.units()] == [
        "PP 1",
        "PP 2",
        "OP 1",
        "OP 2",
        "OP 2(a)",
        "OP 2(b)",
        "OP 3",
    ]
    assert by_label(doc)["PP 2"].text.endswith("في جميع الجهود المبذولة لمكافحة الاتجار بالأشخاص،")
    facts = {
        u.label: (u.verb, u.addressee, [c.provision.notation for c in u.cites]) for u in doc.units()
    }
    assert facts == {
        "PP 1": ("recalls", "", []),
        "PP 2": ("recognizes", "", []),
        "OP 1": ("urges", "StatesParties", ["TIP 9"]),  # "المادة 9 منه": the Protocol just named
        "OP 2": ("calls-upon", "StatesParties", []),
        "OP 2(a)": ("calls-upon", "StatesParties", []),
        "OP 2(b)": ("calls-upon", "StatesParties", []),
        "OP 3": ("requests", "Secretariat", ["SOM 18(1)(b)"]),
    }
    assert doc.title == "تعزيز تنفيذ بروتوكول الاتجار بالأشخاص"


def test_seeds_without_manifest_read_kind_body_and_date_from_text(tmp_path: Path) -> None:
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    docs, errors = read_folder(tmp_path)
    assert errors == []
    found = {d.file_name: (d.kind, d.body, d.date) for d in docs}
    assert found == {
        "wg-tip_compilation-meetings-1-8_2019.ar.txt": (
            "wg-compilation",
            "WorkingGroup",
            dt.date(2019, 8, 7),
        ),
        "wg-tip_draft-report-meeting-9_2019.ar.txt": (
            "wg-report",
            "WorkingGroup",
            dt.date(2019, 9, 9),
        ),
        "ga-79_c3-draft-resolution_trafficking-women-girls_2024.ar.txt": (
            "ga-resolution",
            "GeneralAssembly",
            dt.date(2024, 11, 13),
        ),
        "cop-3_decision-3-3_2006.ar.txt": ("cop-decision", "ConferenceOfTheParties", None),
        "cop-11_resolution-tip-implementation_2022.ar.txt": (
            "cop-resolution",
            "ConferenceOfTheParties",
            None,
        ),
    }
    report = next(d for d in docs if d.kind == "wg-report")
    assert [m.number for m in report.meetings] == [9]
    compilation = next(d for d in docs if d.kind == "wg-compilation")
    assert Counter(u.kind for u in compilation.units())["recommendation"] == 197
    assert compilation.id == "wg-tip-compilation-meetings-1-8-2019"
