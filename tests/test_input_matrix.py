"""Issue 8, part 1: every damaged or unusual input gives the right reading, or a warning
or error that names the file, the line (and unit) and what was expected; never a traceback.

Decoding rows read a copy of a seed in another encoding or with other line endings and
compare it with the seed; refusal rows assert the LoadError's exact parts. Structure rows
damage a small compilation (tests/data/synthetic/wg-compilation-meeting-12.txt, made of
seed paragraphs) one way each and assert the tree and the exact warnings. The last rows
run ``palermo build`` on a folder holding a bad file, with and without ``--keep-going``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from loaders import LoadError, read_document, read_folder
from loaders.decode import MAX_BYTES, MAX_BYTES_ENV
from loaders.manifest import load_manifest
from tests.conftest import BUILD_FOLDER, SEEDS, provenance_problems, unplaced_warnings

SYNTHETIC = Path(__file__).parent / "data" / "synthetic"
MEETING_12 = SYNTHETIC / "wg-compilation-meeting-12.txt"
MANIFEST = load_manifest(SEEDS)
SEED_FILES = sorted(SEEDS.glob("*.txt"))
DECISION = SEEDS / "cop-3_decision-3-3_2006.ar.txt"
COMPILATION = SEEDS / "wg-tip_compilation-meetings-1-8_2019.ar.txt"


def reading(doc) -> tuple:
    """What a document was read as: units, footnotes, meetings and warnings (sans file)."""
    return (
        [(u.label, u.kind, u.printed, u.text) for u in doc.units()],
        [(n.label, n.text, n.unit.label if n.unit else None) for n in doc.footnotes],
        [(m.number, m.place, m.start, m.end) for m in doc.meetings],
        [(w.line, w.unit, w.message) for w in doc.warnings],
    )


def read_as(tmp_path: Path, data: bytes, like: Path, entry: dict | None = None):
    """Read ``data`` saved under ``like``'s file name (so ids and kinds match the seed's)."""
    path = tmp_path / like.name
    path.write_bytes(data)
    return read_document(path, entry if entry is not None else MANIFEST.get(like.name))


def refusal(tmp_path: Path, data: bytes, name: str = "doc.txt") -> LoadError:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoadError) as info:
        read_document(path)
    assert info.value.message.startswith(f"{path}: ")
    return info.value


# --- decoding: the right reading --------------------------------------------------------


def _mixed_endings(text: str) -> str:
    """LF, CRLF and CR in turn; never a CR just before an LF line (that would be CRLF)."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines[:-1]):
        ending = ("\n", "\r\n", "\r")[i % 3]
        if ending == "\r" and not lines[i + 1]:
            ending = "\n"
        out.append(line + ending)
    return "".join(out) + lines[-1]


SAME_READING = {
    "utf-8-bom": (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    "utf-16-le-bom": (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
    "utf-16-be-bom": (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    "crlf": (lambda t: t.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    "cr": (lambda t: t.replace("\n", "\r").encode("utf-8"), "utf-8"),
    "mixed-endings": (lambda t: _mixed_endings(t).encode("utf-8"), "utf-8"),
}


@pytest.fixture(scope="module")
def seed_readings() -> dict:
    return {p.name: reading(read_document(p, MANIFEST[p.name])) for p in SEED_FILES}


@pytest.mark.parametrize("variant", SAME_READING)
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name.split("_")[0])
def test_seed_copy_reads_the_same(tmp_path, seed_readings, seed: Path, variant: str) -> None:
    encode, encoding = SAME_READING[variant]
    doc = read_as(tmp_path, encode(seed.read_text(encoding="utf-8")), seed)
    assert doc.encoding == encoding
    assert reading(doc) == seed_readings[seed.name]  # same units, texts, lines, warnings
    assert provenance_problems(doc) == []  # offsets are in the decoded text


#: Characters Windows-1256 lacks, spelled as it can (Arabic-Indic digits, superscripts).
CP1256_SPELLING = str.maketrans(
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u207d\u207e", "0123456789()"
)


@pytest.mark.parametrize("seed", [DECISION, COMPILATION], ids=["decision", "compilation"])
def test_windows_1256_copy_reads_as_its_utf8_twin(tmp_path: Path, seed: Path) -> None:
    text = seed.read_text(encoding="utf-8").translate(CP1256_SPELLING)
    twin = read_as(tmp_path, text.encode("utf-8"), seed)
    doc = read_as(tmp_path, text.encode("cp1256"), seed)
    assert (doc.encoding, twin.encoding) == ("cp1256", "utf-8")
    assert reading(doc) == reading(twin)
    assert len(doc.units()) == len(read_document(seed, MANIFEST[seed.name]).units())
    assert provenance_problems(doc) == []


# --- decoding: refusals -----------------------------------------------------------------

ARABIC = DECISION.read_bytes()
ARABIC_TEXT = ARABIC.decode("utf-8")
AT = ARABIC.index(b"\n", 3000) + 1  # start of a line past byte 3000
AT_LINE = ARABIC[:AT].count(b"\n") + 1
CUT = next(i for i in range(AT, len(ARABIC)) if ARABIC[i] >= 0xC2)  # a character's first byte
CUT_LINE = ARABIC[:CUT].count(b"\n") + 1

NUL_BYTES = "the file is binary: it holds NUL bytes, which text does not"
REFUSALS = {
    "empty": (b"", ["the file is empty"]),
    "blank": (b" \n\r\n\t\n", ["the file is empty"]),
    "binary": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        [f"{NUL_BYTES} (the first at line 3, byte 8)"],
    ),
    "nul-bytes-in-text": (
        ARABIC[:AT] + b"\x00" + ARABIC[AT:],
        [f"{NUL_BYTES} (the first at line {AT_LINE}, byte {AT})"],
    ),
    "utf-16-le-without-bom": (
        ARABIC_TEXT.encode("utf-16-le"),
        ["UTF-16-LE without a byte-order mark", "Save it as UTF-8"],
    ),
    "control-characters": (
        ARABIC[:AT] + b"\x01\x02\x03" * 40 + ARABIC[AT:],
        ["binary (control characters", f"line {AT_LINE}"],
    ),
    "latin-1-mojibake": (
        ARABIC_TEXT.encode("utf-8").decode("latin-1").encode("utf-8"),
        ["mojibake", "Latin-1 or Windows-1252", "line 3 reads", "iconv -f UTF-8 -t WINDOWS-1252"],
    ),
    "windows-1252-mojibake": (
        ARABIC_TEXT.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"),
        ["mojibake", "line 3 reads"],
    ),
    "utf-8-with-a-bad-byte": (
        ARABIC[:AT] + b"\xff" + ARABIC[AT:],
        [f"UTF-8 but not valid: byte 0xff at line {AT_LINE}, byte {AT}", "Repair the file"],
    ),
    "utf-8-cut-mid-character": (
        ARABIC[: CUT + 1],
        [f"byte 0x{ARABIC[CUT]:02x} at line {CUT_LINE}, byte {CUT}", "was it cut short?"],
    ),
    "utf-16-bom-broken": (
        codecs.BOM_UTF16_LE + b"\x00\xd8",
        ["byte-order mark but is not valid utf-16"],
    ),
    "latin-1-french": (
        "Ceci n'est pas de l'arabe, été à Noël".encode("latin-1"),
        ["not UTF-8, UTF-16 or Windows-1256"],
    ),
    "no-kind": (
        "نص عربي بلا عنوان ولا فقرات.\n".encode(),
        ["cannot tell what kind of document", "manifest.toml"],
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_unreadable_input_is_refused_with_file_line_and_reason(tmp_path, case: str) -> None:
    data, parts = REFUSALS[case]
    message = refusal(tmp_path, data).message
    for part in parts:
        assert part in message, message


def test_cut_on_a_character_boundary_is_read(tmp_path: Path) -> None:
    """A file cut between characters is still text: read, every slice exact."""
    doc = read_as(tmp_path, ARABIC[:AT], DECISION)
    assert [u.label for u in doc.units()][:2] == ["PP 1", "PP 2"]
    assert provenance_problems(doc) == []


# --- size -------------------------------------------------------------------------------


def test_a_1_gb_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(1 << 30)  # sparse: 1 GB on paper, no blocks on disk
    opened = []
    real_open, real_read_bytes = Path.open, Path.read_bytes

    def watch_open(self, *args, **kwargs):
        if self.name == "huge.txt":
            opened.append(self)
        return real_open(self, *args, **kwargs)

    def watch_read_bytes(self):
        if self.name == "huge.txt":
            opened.append(self)
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "open", watch_open)
    monkeypatch.setattr(Path, "read_bytes", watch_read_bytes)
    with pytest.raises(LoadError) as info:
        read_document(huge)
    assert info.value.message == (
        f"{huge}: the file is too large (1,073,741,824 bytes; the limit is 50,000,000 bytes "
        f"per document). Split it, or raise the limit with {MAX_BYTES_ENV}=<bytes> if it "
        "really is one document."
    )
    assert opened == []
    assert MAX_BYTES == 50_000_000


def test_the_size_limit_can_be_set_from_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(MAX_BYTES_ENV, "8000")
    with pytest.raises(LoadError, match=r"too large \(8,545 bytes; the limit is 8,000 bytes"):
        read_document(DECISION)
    monkeypatch.setenv(MAX_BYTES_ENV, "9000")
    assert len(read_document(DECISION).units()) == 15
    monkeypatch.setenv(MAX_BYTES_ENV, "50MB")
    with pytest.raises(LoadError, match=f"{MAX_BYTES_ENV}: is '50MB', not a number of bytes"):
        read_document(DECISION)


# --- structure --------------------------------------------------------------------------

LINES = MEETING_12.read_text(encoding="utf-8").split("\n")


def line_of(prefix: str) -> int:
    """0-based index of the first line of MEETING_12 starting with ``prefix``."""
    return next(i for i, line in enumerate(LINES) if line.startswith(prefix))


def edited(edit) -> str:
    lines = list(LINES)
    edit(lines)
    return "\n".join(lines)


def _renumber(prefix: str, new: str):
    def edit(lines):
        i = line_of(prefix)
        lines[i] = new + lines[i][len(prefix) :]

    return edit


def _swap(a: str, b: str):
    def edit(lines):
        i, j = line_of(a), line_of(b)
        lines[i], lines[j] = lines[j], lines[i]

    return edit


def _move_after_heading(prefix: str):
    def edit(lines):
        line = lines.pop(line_of(prefix))
        lines.insert(line_of("ثاني عشر") + 1, line)

    return edit


def _insert_copy(prefix: str, before: str):
    def edit(lines):
        copy = lines[line_of(prefix)].replace("من أجل", "ومن أجل")
        lines[line_of(before) : line_of(before)] = [copy, ""]

    return edit


def _replace(old: str, new: str):
    def edit(lines):
        i = next(i for i, line in enumerate(lines) if old in line)
        lines[i] = lines[i].replace(old, new)

    return edit


def _delete(prefix: str):
    return lambda lines: lines.pop(line_of(prefix))


EXAMPLE_HEADING = "الاجتماع الأول، فيينا، ١٤ و ١٥ نيسان/أبريل ٢٠٠٩"
NO_DATE = (
    "meeting heading without a date it can read: expected the place and dates after the "
    f"meeting's name, as in '{EXAMPLE_HEADING}'; the meeting is read without dates"
)
ORPHAN = (
    "list item ({}) with no numbered paragraph above it: expected a numbered paragraph "
    "(such as '1- ...') before it; read as text, not as a subparagraph"
)
NUMBERS = ["12/1", "12/2", "12/3", "12/4", "12/5", "12/5(a)", "12/5(b)", "12/6"]
VIENNA = ("فيينا", dt.date(2024, 7, 2), dt.date(2024, 7, 3))

# case: (edit, unit labels after the meeting, (place, start, end), [(line, unit, message)])
STRUCTURE = {
    "intact": (lambda lines: None, NUMBERS, VIENNA, []),
    "number-missing": (
        _delete("٣-"),
        ["12/1", "12/2", "12/4", "12/5", "12/5(a)", "12/5(b)", "12/6"],
        VIENNA,
        [(20, "12/4", "number 3 missing before 4")],
    ),
    "number-repeated": (
        _renumber("٤-", "٣-"),
        NUMBERS,
        VIENNA,
        [
            (
                21,
                "12/4",
                "number 3 repeats the number of line 19; read as 4 "
                "(the printed number is kept as printedNumber)",
            )
        ],
    ),
    "paragraph-duplicated": (
        _insert_copy("٣-", "٤-"),
        ["12/1", "12/2", "12/3", "12/4", "12/5", "12/6", "12/6(a)", "12/6(b)", "12/7"],
        VIENNA,
        [
            (
                line,
                f"12/{n + 1}",
                f"number {n} repeats the number of line {used}; "
                f"read as {n + 1} (the printed number is kept as printedNumber)",
            )
            # the unit read as 6 is on line 25, two list items above line 31
            for line, n, used in ((21, 3, 19), (23, 4, 21), (25, 5, 23), (31, 6, 25))
        ],
    ),
    "numbers-out-of-order": (
        _swap("٣-", "٤-"),
        ["12/1", "12/2", "12/4", "12/3", "12/5", "12/5(a)", "12/5(b)", "12/6"],
        VIENNA,
        [
            (19, "12/4", "number 3 missing before 4"),
            (21, "12/3", "number 3 out of order: expected 5; read as 3"),
        ],
    ),
    "meeting-heading-without-date": (
        _replace("، فيينا، ٢ و ٣ تموز/يوليه ٢٠٢٤", "، فيينا"),
        NUMBERS,
        ("فيينا", None, None),
        [(13, "meeting 12", NO_DATE)],
    ),
    "meeting-heading-with-only-its-name": (
        _replace("، فيينا، ٢ و ٣ تموز/يوليه ٢٠٢٤", ""),
        NUMBERS,
        ("", None, None),
        [(13, "meeting 12", NO_DATE)],
    ),
    "meeting-heading-with-a-date-that-is-not-one": (
        _replace("٢ و ٣ تموز/يوليه", "٣١ و ٣٢ حزيران/يونيه"),
        NUMBERS,
        ("فيينا", None, None),
        [(13, "meeting 12", NO_DATE)],
    ),
    "meeting-heading-with-latin-commas": (  # crashed: IndexError in on_chapter
        _replace("، فيينا، ٢", ", فيينا, ٢"),
        NUMBERS,
        VIENNA,
        [],
    ),
    "list-item-with-no-parent": (
        _move_after_heading("(أ)"),
        ["12/note 1", "12/1", "12/2", "12/3", "12/4", "12/5", "12/5(b)", "12/6"],
        VIENNA,
        [
            (14, "12/note 1", ORPHAN.format("a")),
            (27, "12/5(b)", "list letter (b) out of order: expected (a)"),
        ],
    ),
    "list-letter-skipped": (
        _renumber("(ب)", "(ج)"),
        ["12/1", "12/2", "12/3", "12/4", "12/5", "12/5(a)", "12/5(c)", "12/6"],
        VIENNA,
        [(27, "12/5(c)", "list letter (c) out of order: expected (b)")],
    ),
    "footnote-marker-with-no-footnote": (
        _delete("(١)"),
        NUMBERS,
        VIENNA,
        [(29, "12/6", "footnote marker (1) at line 29 has no footnote text")],
    ),
    "footnote-with-no-marker": (
        _replace("^(١)", ""),
        NUMBERS,
        VIENNA,
        [(31, "footnote 1", "footnote (1) at line 31 has no marker in the text")],
    ),
    "header-date-not-in-the-calendar": (  # crashed: ValueError in parse_english
        _replace("2 March 2026", "31 February 2026"),
        NUMBERS,
        VIENNA,
        [
            (
                3,
                "header",
                "header date '31 February 2026' is not a date of the calendar "
                "(expected e.g. '7 August 2019'); the document is read without it",
            )
        ],
    ),
}


@pytest.mark.parametrize("case", STRUCTURE)
def test_structure_damage_is_read_and_reported(tmp_path: Path, case: str) -> None:
    edit, labels, meeting, warnings = STRUCTURE[case]
    path = tmp_path / MEETING_12.name
    path.write_text(edited(edit), encoding="utf-8")
    doc = read_document(path)
    assert [u.label for u in doc.units()] == ["meeting 12", *labels]
    assert [(m.place, m.start, m.end) for m in doc.meetings] == [meeting]
    assert [(w.line, w.unit, w.message) for w in doc.warnings] == warnings
    for w, (line, unit, message) in zip(doc.warnings, warnings, strict=True):
        assert str(w) == f"{MEETING_12.name}:{line} [{unit}]: {message}"
    assert provenance_problems(doc) == []


def test_a_renumbered_unit_keeps_its_printed_number(tmp_path: Path) -> None:
    path = tmp_path / MEETING_12.name
    path.write_text(edited(STRUCTURE["number-repeated"][0]), encoding="utf-8")
    doc = read_document(path)
    assert {u.label: u.printed for u in doc.units() if u.printed} == {"12/4": "3"}


def test_orphan_list_item_in_a_report_is_named(tmp_path: Path) -> None:
    report = SEEDS / "wg-tip_draft-report-meeting-9_2019.ar.txt"
    lines = report.read_text(encoding="utf-8").split("\n")
    heading = next(i for i, line in enumerate(lines) if line.startswith("أولاً"))
    lines.insert(heading + 1, "(أ) بند بلا فقرة فوقه؛")
    doc = read_as(tmp_path, "\n".join(lines).encode("utf-8"), report)
    found = [w for w in doc.warnings if w.message.startswith("list item (a)")]
    assert [(w.line, w.unit) for w in found] == [(heading + 2, "list item (a)")]
    assert found[0].message.endswith("before it; skipped")


def test_manifest_disagreement_names_the_header_line(tmp_path: Path) -> None:
    entry = {**MANIFEST[COMPILATION.name], "date": "2019-08-08"}
    doc = read_as(tmp_path, COMPILATION.read_bytes(), COMPILATION, entry)
    assert [str(w) for w in doc.warnings if w.unit == "header"] == [
        f"{COMPILATION.name}:4 [header]: manifest date 2019-08-08 differs from the printed "
        "date 2019-08-07"
    ]


MANIFEST_ERRORS = {
    'date = "2019-02-31"': "entry for a.txt has date = '2019-02-31'",
    'year = "2019"': "entry for a.txt has year = '2019'",
    'id = "a b/c"': "entry for a.txt has id = 'a b/c'",
}


@pytest.mark.parametrize("line", MANIFEST_ERRORS)
def test_bad_manifest_values_are_refused(tmp_path: Path, line: str) -> None:
    (tmp_path / "manifest.toml").write_text(f'[[document]]\nfile = "a.txt"\n{line}\n')
    with pytest.raises(LoadError) as info:
        read_folder(tmp_path)
    assert info.value.message.startswith(f"{tmp_path / 'manifest.toml'}: {MANIFEST_ERRORS[line]}")


# --- warnings: every one names file, line and unit -------------------------------------

WARNING_FORMAT = re.compile(r"^(?P<file>[^:/]+\.txt):(?P<line>[1-9]\d*) \[(?P<unit>[^\]]+)\]: \S")


def test_every_warning_names_file_line_and_unit(seed_docs, tmp_path: Path) -> None:
    docs = list(seed_docs.values())
    for case, (edit, *_) in STRUCTURE.items():
        path = tmp_path / f"{case}.txt"
        path.write_text(edited(edit), encoding="utf-8")
        docs.append(read_document(path))
    printed = [str(w) for d in docs for w in d.warnings]
    assert len(printed) == 3 + 17
    for d in docs:
        assert unplaced_warnings(d) == []
        for w in d.warnings:
            found = WARNING_FORMAT.match(str(w))
            assert found, str(w)
            assert found["file"] == d.file_name and int(found["line"]) == w.line


# --- the CLI ----------------------------------------------------------------------------

PALERMO = shutil.which("palermo")
needs_cli = pytest.mark.skipif(PALERMO is None, reason="palermo is not installed")


def palermo(*args: str) -> subprocess.CompletedProcess:
    env = {"PATH": str(Path(PALERMO).parent), "COLUMNS": "2000", "LANG": "C.UTF-8"}
    if MAX_BYTES_ENV in os.environ:
        env[MAX_BYTES_ENV] = os.environ[MAX_BYTES_ENV]
    return subprocess.run([PALERMO, *args], capture_output=True, text=True, timeout=300, env=env)


def seed_folder(tmp_path: Path, bad_name: str, bad: bytes | None) -> Path:
    """Two small seeds (with their manifest entries) and one bad file."""
    folder = tmp_path / "docs"
    folder.mkdir()
    names = [DECISION.name, "cop-11_resolution-tip-implementation_2022.ar.txt"]
    for name in names:
        shutil.copy(SEEDS / name, folder / name)
    text = (SEEDS / "manifest.toml").read_text(encoding="utf-8")
    kept = [t for t in text.split("[[document]]")[1:] if any(f'"{n}"' in t for n in names)]
    extra = f'[[document]]\nfile = "{bad_name}"\n' if bad is None else ""
    (folder / "manifest.toml").write_text(
        "".join("[[document]]" + t for t in kept) + extra, encoding="utf-8"
    )
    if bad is not None:
        (folder / bad_name).write_bytes(bad)
    return folder


CLI_BAD = {
    "binary": ("binary.txt", bytes(range(256)) * 8, "the file is binary: it holds NUL"),
    "mojibake": ("moji.txt", ARABIC.decode("latin-1").encode(), "the text is mojibake"),
    "damaged-utf-8": (
        "bad.txt",
        ARABIC[:AT] + b"\xff" + ARABIC[AT:],
        "the file is UTF-8 but not valid",
    ),
    "missing": ("gone.txt", None, "is listed in the manifest but missing"),
}


@needs_cli
@pytest.mark.parametrize("case", CLI_BAD)
def test_build_refuses_a_bad_file_and_writes_nothing(tmp_path: Path, case: str) -> None:
    name, data, reason = CLI_BAD[case]
    folder = seed_folder(tmp_path, name, data)
    out = tmp_path / "out"
    result = palermo("build", "--seeds", str(folder), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert f"error: {folder / name}: {reason}" in result.stderr
    assert (
        "nothing written: 1 file(s) could not be read (--keep-going builds from the others)."
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not out.exists()


@needs_cli
def test_build_keep_going_builds_the_rest_and_lists_what_it_skipped(tmp_path: Path) -> None:
    folder = seed_folder(tmp_path, "binary.txt", bytes(range(256)) * 8)
    out = tmp_path / "out"
    result = palermo("build", "--seeds", str(folder), "--out", str(out), "--keep-going")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "2 documents" in result.stderr
    assert "skipped 1 file(s) that could not be read (--keep-going):" in result.stderr
    assert (
        f"skipped {folder / 'binary.txt'}: the file is binary: it holds NUL bytes, which "
        "text does not (the first at line 1, byte 0)" in result.stderr
    )
    assert sorted(p.name for p in out.iterdir()) == BUILD_FOLDER
    nt = (out / "palermo.nt").read_text(encoding="utf-8")
    assert "doc/cop-decision-3-3>" in nt and "doc/cop-11-resolution-tip>" in nt
    assert "binary" not in nt


@needs_cli
def test_build_keep_going_with_nothing_readable_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    result = palermo(
        "build", "--seeds", str(folder), "--out", str(tmp_path / "out"), "--keep-going"
    )
    assert result.returncode == 2
    assert f"error: {folder / 'empty.txt'}: the file is empty" in result.stderr
    assert "nothing written: 1 file(s) could not be read." in result.stderr
    assert not (tmp_path / "out").exists()
