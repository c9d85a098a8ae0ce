"""The synthetic corpus generator (bench/corpus.py) and a smoke run of the benchmark harness.

The generator is checked on what the loaders read back: its declared counts
(counts.json) must equal the units, citations and meetings the loaders find.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from loaders import read_folder
from loaders.extract.citations import article_counts

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


corpus = _module("corpus")


@pytest.fixture(scope="module")
def x2(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "x2"
    corpus.generate(2, out, seed=1)
    return out


@pytest.fixture(scope="module")
def x2_read(x2):
    docs, errors = read_folder(x2)
    return docs, errors


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_byte_identical_files(x2, tmp_path):
    again = tmp_path / "again"
    corpus.generate(2, again, seed=1)
    assert _files(again) == _files(x2)
    other = tmp_path / "other"
    corpus.generate(2, other, seed=2)
    changed = [n for n, data in _files(other).items() if _files(x2)[n] != data]
    assert any(".x0001." in n for n in changed)
    assert all(".x0001." in n or n in ("manifest.toml", "counts.json") for n in changed)


def test_ids_meetings_and_symbols_are_distinct(x2):
    with (x2 / "manifest.toml").open("rb") as fh:
        entries = tomllib.load(fh)["document"]
    assert len(entries) == 10
    for key in ("id", "file"):
        values = [e[key] for e in entries]
        assert len(set(values)) == len(values), key
    for key in ("symbol", "decision"):
        values = [e[key] for e in entries if key in e]
        assert len(set(values)) == len(values), key
    assert {p.name for p in x2.glob("*.txt")} == {e["file"] for e in entries}
    copy = next(e for e in entries if e["kind"] == "wg-compilation" and e["id"].endswith("x0001"))
    assert copy["meetings"] == sorted(set(copy["meetings"])) and len(copy["meetings"]) == 8
    seeds = {p.name: p.read_bytes() for p in (ROOT / "seeds").glob("*.txt")}
    for path in x2.glob("*.x0001.ar.txt"):
        original = seeds[path.name.replace(".x0001", "")]
        assert path.read_bytes() != original


def test_reads_back_with_the_declared_counts(x2, x2_read):
    docs, errors = x2_read
    assert errors == []
    counts = json.loads((x2 / "counts.json").read_text(encoding="utf-8"))
    units = Counter(u.kind for d in docs for u in d.units())
    assert len(docs) == counts["documents"] == 10
    assert dict(units) == counts["units"]
    assert sum(len(u.cites) for d in docs for u in d.units()) == counts["citations"]
    assert sorted({m.number for d in docs for m in d.meetings}) == counts["meetings"]


def test_copies_recombine_text_and_move_citations(x2_read):
    docs, _ = x2_read
    by_id = {d.id: d for d in docs}
    seed, copy = by_id["ctoc-cop-wg4-2019-5"], by_id["ctoc-cop-wg4-2019-5-x0001"]
    seed_texts = {u.text for u in seed.units()}
    recommendations = [u for u in copy.units() if u.kind == "recommendation"]
    fresh = [u for u in recommendations if u.text not in seed_texts]
    assert len(fresh) > len(recommendations) // 2
    assert all(u.verb for u in fresh if u.children == [])
    limits = article_counts()
    cited = [c.provision for d in docs for u in d.units() for c in u.cites]
    assert all(1 <= p.article <= limits[p.instrument] for p in cited)
    seed_cited = {
        c.provision for d in docs if not d.id.endswith("x0001") for u in d.units() for c in u.cites
    }
    copy_cited = {
        c.provision for d in docs if d.id.endswith("x0001") for u in d.units() for c in u.cites
    }
    assert copy_cited - seed_cited


def test_new_meeting_headings_read_with_their_calendar(x2_read):
    docs, _ = x2_read
    dates: dict[int, set] = {}
    for doc in docs:
        for m in doc.meetings:
            dates.setdefault(m.number, set()).add((m.place, m.start, m.end))
    assert all(len(v) == 1 for v in dates.values()), dates


@pytest.mark.slow
def test_harness_quick_run_writes_results(tmp_path):
    results = tmp_path / "RESULTS.md"
    out = subprocess.run(
        [
            sys.executable,
            str(BENCH / "harness.py"),
            "--scales",
            "1",
            "--runs",
            "1",
            "--quick",
            "--corpora",
            str(tmp_path / "corpora"),
            "--write",
            str(results),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    text = results.read_text(encoding="utf-8")
    assert "## x1" in text
    assert "5 documents, 568 units, 27 citations" in text
    for row in ("palermo build --no-validate", "stage read", "stage build", "lookup provision"):
        assert re.search(rf"^\| {re.escape(row)}[^|]*\| \d", text, re.M), row
    assert "failed" not in text


def test_a_number_cited_in_two_instruments_stays_valid_in_both():
    from loaders.provisions import Provision

    both = [Provision("TIP", 12), Provision("SOM", 12)]
    perm = {"TIP": {12: 7}, "SOM": {12: 23}, "UNTOC": {}, "FIREARMS": {}}
    assert corpus.renumber_quote("المادة 12 من هذين البروتوكولين", both, perm) == (
        "المادة 7 من هذين البروتوكولين"
    )
    assert corpus.renumber_quote(
        "للمادتين ٣٢ و٣٧",
        [Provision("UNTOC", 32), Provision("UNTOC", 37)],
        {"UNTOC": {32: 5, 37: 40}, "TIP": {}, "SOM": {}, "FIREARMS": {}},
    ) == ("للمادتين ٥ و٤٠")


def test_store_queries_times_each_query_on_a_store_folder(tmp_path, capsys) -> None:
    from graph import cli
    from graph import query as saved
    from graph.store import open_store
    from tests.conftest import SEEDS

    store = tmp_path / "store"
    args = ["build", "--seeds", str(SEEDS), "--out", str(tmp_path / "out"), "--no-validate"]
    assert cli.main([*args, "--store", str(store)]) == 0
    capsys.readouterr()
    module = _module("store_queries")
    only = ["provision-trace", "uncited-provisions", "themes-over-time", "links"]
    only.append("addressee-asks")
    assert module.main([str(store), "--only", *only]) == 0
    table = capsys.readouterr().out
    opened = open_store(store)
    trace = len(saved.run(saved.load("provision-trace"), opened, {"provision": "TIP 6(2)"})[1])
    uncited = len(saved.run(saved.load("uncited-provisions"), opened)[1])
    by_year = len(saved.run(saved.load("themes-over-time"), opened, {"theme": "non-punishment"})[1])
    links = len(saved.run(saved.load("links"), opened)[1])
    rows = re.findall(r"^\| (.+?) \| (\d+) \| [0-9.]+ \| < (\d+) \| met \|$", table, re.M)
    summarised = (
        r"^\| query themes-over-time \(aggregate\) \| 276 \| [0-9.]+ \(summary\) \| < 10 \| met \|$"
    )
    assert re.search(summarised, table, re.M), table
    profile = (
        rf"^\| lookup theme \(non-punishment, by year\) \| {by_year} "
        r"\| [0-9.]+ \(summary\) \| < 1 \| met \|$"
    )
    assert re.search(profile, table, re.M), table
    asks = saved.load("addressee-asks")
    states = len(saved.run(asks, opened, {"addressee": "StatesParties"})[1])
    indexed = (
        rf"^\| lookup addressee \(StatesParties\) \| {states} "
        r"\| [0-9.]+ \(index\) \| < 1 \| met \|$"
    )
    assert re.search(indexed, table, re.M), table
    whole = (
        r"^\| query addressee-asks \(aggregate\) \| \d+ \| [0-9.]+ \(summary\) \| < 10 \| met \|$"
    )
    assert re.search(whole, table, re.M), table
    # a listing is timed and held to no goal
    assert re.search(
        rf"^\| query links \(listing\) \| {links} \| [0-9.]+ \| - \| listing \|$", table, re.M
    )
    assert rows == [
        ("lookup provision (trace TIP 6(2))", str(trace), "1"),
        (
            "query provision-trace (lookup)",
            str(len(saved.run(saved.load("provision-trace"), opened)[1])),
            "10",
        ),
        ("query uncited-provisions (aggregate)", str(uncited), "10"),
    ]
