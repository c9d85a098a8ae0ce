"""Checks on loaders/data/states.tsv, the table of States' Arabic UN names and ISO codes.

File format: UTF-8, tab-separated, no quoting. Lines starting with '#' come before the header
line and describe the table; readers skip them. The header is
iso3, name_en, name_ar, variants_ar ('|'-joined), un_status, wikidata.
"""

import csv
from functools import cache
from pathlib import Path

import pycountry
import pytest

ROOT = Path(__file__).resolve().parents[1]
STATES_TSV = ROOT / "loaders" / "data" / "states.tsv"
COLUMNS = ["iso3", "name_en", "name_ar", "variants_ar", "un_status", "wikidata"]

# Seed texts: the shared seed folder (file names by hash), else the repository's own copies.
SEED_001 = "001_60b2eecff371ef33.txt"
SEED_002 = "002_9cffd64b9ac82079.txt"
SEED_SOURCES = [
    (
        ROOT / "seeds",
        "wg-tip_draft-report-meeting-9_2019.ar.txt",
        "ga-79_c3-draft-resolution_trafficking-women-girls_2024.ar.txt",
    ),
]


@cache
def _read_rows() -> tuple[dict[str, str], ...]:
    with STATES_TSV.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    assert reader.fieldnames == COLUMNS
    return tuple(reader)


def load_rows() -> list[dict[str, str]]:
    return [dict(row) for row in _read_rows()]


def arabic_names(row: dict[str, str]) -> list[str]:
    variants = row["variants_ar"].split("|") if row["variants_ar"] else []
    return [row["name_ar"], *variants]


def name_index() -> dict[str, str]:
    return {name: row["iso3"] for row in load_rows() for name in arabic_names(row)}


# Seed names, as printed, and the State each must resolve to.
# 001 line 144 (after the colon): the nine parties whose representatives spoke.
SPEAKERS_144 = [
    ("الإمارات العربية المتحدة", "ARE"),
    ("البرازيل", "BRA"),
    ("تايلند", "THA"),
    ("الجمهورية الدومينيكية", "DOM"),
    ("السودان", "SDN"),
    ("الصين", "CHN"),
    ("كندا", "CAN"),
    ("النرويج", "NOR"),
    ("الولايات المتحدة الأمريكية", "USA"),
]
# 001 line 146: the observer that also spoke.
OBSERVER_146 = [("جمهورية إيران الإسلامية", "IRN")]
# 001 line 162 (after the colon): States parties represented; the European Union is left out.
PARTIES_162 = [
    ("الاتحاد الروسي", "RUS"),
    ("أذربيجان", "AZE"),
    ("الأرجنتين", "ARG"),
    ("الأردن", "JOR"),
    ("أرمينيا", "ARM"),
    ("إسبانيا", "ESP"),
    ("إسرائيل", "ISR"),
    ("إكوادور", "ECU"),
    ("ألبانيا", "ALB"),
    ("ألمانيا", "DEU"),
    ("الإمارات العربية المتحدة", "ARE"),
    ("إندونيسيا", "IDN"),
    ("أنغولا", "AGO"),
    ("إيطاليا", "ITA"),
    ("باراغواي", "PRY"),
    ("البحرين", "BHR"),
    ("البرازيل", "BRA"),
    ("البرتغال", "PRT"),
    ("بلجيكا", "BEL"),
    ("بوتسوانا", "BWA"),
    ("بوليفيا (دولة - المتعددة القوميات)", "BOL"),
    ("بيرو", "PER"),
    ("بيلاروس", "BLR"),
    ("تايلند", "THA"),
    ("تركيا", "TUR"),
    ("تشيكية", "CZE"),
    ("تونس", "TUN"),
    ("الجبل الأسود", "MNE"),
    ("الجزائر", "DZA"),
    ("الجمهورية الدومينيكية", "DOM"),
    ("جمهورية كوريا", "KOR"),
    ("جنوب أفريقيا", "ZAF"),
    ("جيبوتي", "DJI"),
    ("دولة فلسطين", "PSE"),
    ("رومانيا", "ROU"),
    ("سري لانكا", "LKA"),
    ("السلفادور", "SLV"),
    ("سلوفاكيا", "SVK"),
    ("سلوفينيا", "SVN"),
    ("السنغال", "SEN"),
    ("السودان", "SDN"),
    ("السويد", "SWE"),
    ("سويسرا", "CHE"),
    ("شيلي", "CHL"),
    ("الصين", "CHN"),
    ("العراق", "IRQ"),
    ("غامبيا", "GMB"),
    ("غواتيمالا", "GTM"),
    ("فرنسا", "FRA"),
    ("الفلبين", "PHL"),
    ("فنزويلا (جمهورية - البوليفارية)", "VEN"),
    ("فنلندا", "FIN"),
    ("فيجي", "FJI"),
    ("قبرص", "CYP"),
    ("كرواتيا", "HRV"),
    ("كندا", "CAN"),
    ("كوبا", "CUB"),
    ("كوستاريكا", "CRI"),
    ("كولومبيا", "COL"),
    ("الكويت", "KWT"),
    ("كينيا", "KEN"),
    ("لاوس", "LAO"),
    ("لبنان", "LBN"),
    ("ماليزيا", "MYS"),
    ("مصر", "EGY"),
    ("المكسيك", "MEX"),
    ("المملكة العربية السعودية", "SAU"),
    ("المملكة المتحدة", "GBR"),
    ("موناكو", "MCO"),
    ("ميانمار", "MMR"),
    ("النرويج", "NOR"),
    ("النمسا", "AUT"),
    ("نيجيريا", "NGA"),
    ("نيوزيلندا", "NZL"),
    ("الهند", "IND"),
    ("هندوراس", "HND"),
    ("هنغاريا", "HUN"),
    ("هولندا", "NLD"),
    ("الولايات المتحدة الأمريكية", "USA"),
    ("اليابان", "JPN"),
    ("اليونان", "GRC"),
]
# 001 line 163 (after the colon): non-party States represented by observers.
OBSERVERS_163 = [
    ("إيران (جمهورية - الإسلامية)", "IRN"),
    ("باكستان", "PAK"),
    ("بروني دار السلام", "BRN"),
    ("توفالو", "TUV"),
    ("الكرسي الرسولي", "VAT"),
    ("نيبال", "NPL"),
    ("اليمن", "YEM"),
]
# 002 line 20 (before ': مشروع قرار منقح'): the sponsors of the revised draft.
SPONSORS_002 = [
    ("ألمانيا", "DEU"),
    ("أنتيغوا وبربودا", "ATG"),
    ("تشيكييا", "CZE"),
    ("سري لانكا", "LKA"),
    ("السويد", "SWE"),
    ("غواتيمالا", "GTM"),
    ("الفلبين", "PHL"),
    ("فنزويلا (جمهورية - البوليفارية)", "VEN"),
    ("نيكاراغوا", "NIC"),
    ("هندوراس", "HND"),
]
SEED_NAMES = SPEAKERS_144 + OBSERVER_146 + PARTIES_162 + OBSERVERS_163 + SPONSORS_002


def test_row_count():
    assert len(load_rows()) == 195


def test_iso3_unique_and_sorted():
    codes = [row["iso3"] for row in load_rows()]
    assert len(set(codes)) == len(codes)
    assert codes == sorted(codes)


def test_iso3_known_to_pycountry():
    unknown = [
        row["iso3"] for row in load_rows() if pycountry.countries.get(alpha_3=row["iso3"]) is None
    ]
    assert unknown == []


def test_un_status():
    rows = load_rows()
    observers = sorted(row["iso3"] for row in rows if row["un_status"] == "observer")
    members = [row for row in rows if row["un_status"] == "member"]
    assert observers == ["PSE", "VAT"]
    assert len(members) == 193


def test_cells_filled_and_clean():
    for row in load_rows():
        for column in ("iso3", "name_en", "name_ar", "un_status"):
            assert row[column], (row["iso3"], column)
        for name in arabic_names(row):
            assert name and name == name.strip() and "  " not in name, (row["iso3"], name)
        assert row["wikidata"] == "" or (
            row["wikidata"].startswith("Q") and row["wikidata"][1:].isdigit()
        ), row["iso3"]


def test_wikidata_ids_unique():
    ids = [row["wikidata"] for row in load_rows() if row["wikidata"]]
    assert len(set(ids)) == len(ids)


def test_no_arabic_name_in_two_rows():
    owner: dict[str, str] = {}
    clashes = []
    for row in load_rows():
        for name in arabic_names(row):
            if name in owner and owner[name] != row["iso3"]:
                clashes.append((name, owner[name], row["iso3"]))
            owner.setdefault(name, row["iso3"])
    assert clashes == []


def test_european_union_absent():
    index = name_index()
    assert "الاتحاد الأوروبي" not in index
    assert all(row["name_en"] != "European Union" for row in load_rows())


@pytest.mark.parametrize(("name", "iso3"), sorted(set(SEED_NAMES)))
def test_seed_name_resolves(name, iso3):
    assert name_index().get(name) == iso3


def _seed_lines() -> tuple[list[str], list[str]]:
    for folder, first, second in SEED_SOURCES:
        if (folder / first).is_file() and (folder / second).is_file():
            read = (folder / first).read_text(encoding="utf-8").splitlines()
            return read, (folder / second).read_text(encoding="utf-8").splitlines()
    pytest.skip("seed folder absent")


def _split(names: str) -> list[str]:
    return [name.strip().rstrip(".").strip() for name in names.split("، ")]


def test_seed_lines_give_the_tabled_names():
    doc1, doc2 = _seed_lines()

    speakers = _split(doc1[143].split(":", 1)[1])
    assert speakers == [name for name, _ in SPEAKERS_144]

    assert "جمهورية إيران الإسلامية" in doc1[145]

    parties = _split(doc1[161].split(":", 1)[1])
    assert "الاتحاد الأوروبي" in parties
    parties = [name for name in parties if name != "الاتحاد الأوروبي"]
    assert len(parties) == 81
    assert parties == [name for name, _ in PARTIES_162]

    observers = _split(doc1[162].split(":", 1)[1])
    assert len(observers) == 7
    assert observers == [name for name, _ in OBSERVERS_163]

    sponsors = _split(doc2[19].split(": مشروع قرار منقح", 1)[0])
    assert len(sponsors) == 10
    assert sponsors == [name for name, _ in SPONSORS_002]
