"""The paragraph tree of the five seeds, to the last item (issue 2's exact counts)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from loaders.normalise import norm
from tests.conftest import by_label

COMPILATION = "ctoc-cop-wg4-2019-5"
REPORT = "wg-tip-2019-draft-report"
GA = "ga-79-c3-trafficking-women-girls-draft"
DECISION = "cop-decision-3-3"
COP11 = "cop-11-resolution-tip"


def per_meeting(doc, kind: str) -> list[int]:
    counts = Counter(u.meeting for u in doc.units() if u.kind == kind)
    return [counts.get(m, 0) for m in range(1, 9)]


def test_compilation_top_level_recommendations_per_meeting(seed_docs) -> None:
    assert per_meeting(seed_docs[COMPILATION], "recommendation") == [23, 58, 0, 46, 44, 22, 2, 2]


def test_compilation_lettered_subparagraphs_per_meeting(seed_docs) -> None:
    assert per_meeting(seed_docs[COMPILATION], "subparagraph") == [33, 6, 0, 21, 0, 0, 25, 25]


def test_compilation_roman_items_all_under_4_46(seed_docs) -> None:
    points = [u.label for u in seed_docs[COMPILATION].units() if u.kind == "point"]
    assert points == [
        "4/46(i)(i)",
        "4/46(i)(ii)",
        "4/46(i)(iii)",
        "4/46(j)(i)",
        "4/46(j)(ii)",
        "4/46(j)(iii)",
        "4/46(j)(iv)",
        "4/46(j)(v)",
        "4/46(j)(vi)",
    ]


MEETINGS = [
    (1, "2009-04-14", "2009-04-15"),
    (2, "2010-01-27", "2010-01-29"),
    (3, "2010-10-19", "2010-10-19"),
    (4, "2011-10-10", "2011-10-12"),
    (5, "2013-11-06", "2013-11-08"),
    (6, "2015-11-16", "2015-11-18"),
    (7, "2017-09-06", "2017-09-08"),
    (8, "2018-07-02", "2018-07-03"),
]


@pytest.mark.parametrize(("number", "start", "end"), MEETINGS)
def test_meeting_sections_with_place_and_dates_as_printed(seed_docs, number, start, end) -> None:
    meeting = {m.number: m for m in seed_docs[COMPILATION].meetings}[number]
    assert (meeting.start, meeting.end) == (
        dt.date.fromisoformat(start),
        dt.date.fromisoformat(end),
    )
    assert meeting.place == "فيينا"


def test_third_meeting_note_and_4_46_proposed_at_3_adopted_at_4(seed_docs) -> None:
    units = by_label(seed_docs[COMPILATION])
    note = units["3/note 1"]
    assert note.text.startswith("أقر الفريق العامل المعني بالتجار بالأشخاص، في اجتماعه الرابع")
    assert note.proposed_at is None
    for label in ("4/46", "4/46(a)", "4/46(j)(vi)"):
        assert (units[label].proposed_at, units[label].adopted_at) == (3, 4)
    assert (units["4/45"].proposed_at, units["4/45"].adopted_at) == (None, 4)


def test_report_recommendations_groups_and_numbering(seed_docs) -> None:
    doc = seed_docs[REPORT]
    recs = [u for u in doc.units() if u.kind == "recommendation"]
    assert [u.label for u in recs] == [f"9/{n}" for n in range(1, 12)]
    groups = {
        u.number: [c.label for c in u.children if c.kind == "recommendation"]
        for u in doc.units()
        if u.kind == "section" and u.parent.number == "2"
    }
    assert groups == {"a": [f"9/{n}" for n in range(1, 9)], "b": ["9/9", "9/10", "9/11"], "c": []}
    assert recs[2].text == (
        "ينبغي للدول الأعضاء زيادة التركيز على أفرقة التحقيق المشتركة والتحقيقات المتخصصة."
    )


def test_report_paragraphs_agenda_and_attendance(seed_docs) -> None:
    doc = seed_docs[REPORT]
    units = by_label(doc)
    paras = [u for u in doc.units() if u.kind == "paragraph"]
    assert [int(u.number) for u in paras] == list(range(1, 40))
    assert units["para 37"].printed == "27"  # damaged "٢٧-" where 37 belongs
    agenda = [u for u in doc.units() if u.kind == "agenda_item"]
    assert [u.label for u in agenda] == [f"para 31 item {n}" for n in range(1, 6)]
    assert [c.label for c in agenda[0].children] == ["para 31 item 1(a)", "para 31 item 1(b)"]
    assert len(units["para 32"].names) == 82  # 81 States parties and the European Union
    assert units["para 32"].names[:2] == ["الاتحاد الأوروبي", "الاتحاد الروسي"]
    assert units["para 32"].names[-1] == "اليونان"
    assert len(units["para 33"].names) == 7
    assert units["para 36"].names[-1] == "منظمة الأمن والتعاون في أوروبا"
    meeting = doc.meetings[0]
    assert (meeting.number, meeting.start, meeting.end) == (
        9,
        dt.date(2019, 9, 9),
        dt.date(2019, 9, 11),
    )


def test_ga_draft_preamble_operative_and_sponsors(seed_docs) -> None:
    doc = seed_docs[GA]
    kinds = Counter(u.kind for u in doc.units())
    assert (kinds["preambular"], kinds["operative"], kinds["subparagraph"]) == (38, 52, 0)
    assert [u.number for u in doc.units() if u.kind == "operative"] == [
        str(n) for n in range(1, 53)
    ]
    assert doc.sponsors == [
        "ألمانيا",
        "أنتيغوا وبربودا",
        "تشيكييا",
        "سري لانكا",
        "السويد",
        "غواتيمالا",
        "الفلبين",
        "فنزويلا (جمهورية - البوليفارية)",
        "نيكاراغوا",
        "هندوراس",
    ]
    assert doc.title == "الاتجار بالنساء والفتيات"
    assert doc.formula == "إن الجمعية العامة،"


def test_decision_3_3_inline_preamble_and_lettered_operative_part(seed_docs) -> None:
    doc = seed_docs[DECISION]
    units = by_label(doc)
    assert [u.label for u in doc.units()] == ["PP 1", "PP 2"] + [
        f"OP ({x})" for x in "abcdefghijklm"
    ]
    assert units["PP 1"].text.startswith("إذ يستذكر المهام المسندة إليه في المادة 32")
    assert units["PP 2"].text.endswith("التي عُقدت أثناء دورته الثالثة:")
    assert doc.formula == (
        "إن مؤتمر الأطراف في اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية،"
    )


def test_cop11_resolution_counts(seed_docs) -> None:
    doc = seed_docs[COP11]
    kinds = Counter(u.kind for u in doc.units())
    assert (kinds["preambular"], kinds["operative"]) == (32, 21)
    units = by_label(doc)
    assert [c.label for c in units["OP 4"].children] == [f"OP 4({x})" for x in "abcde"]
    assert [c.label for c in units["OP 9"].children] == [f"OP 9({x})" for x in "abcd"]
    assert units["PP 21"].text.startswith("واقتراناً منه بأهمية تنفيذ المادة 30")


# Units that a page break or a footnote block splits, and how their text ends.
PAGE_BREAKS = [
    (COMPILATION, "1/7(b)", "واستغلال المناسبات العامة والاستعانة بالشخصيات المعروفة لدى العامة؛"),
    (COMPILATION, "2/44", "وأي معايير ومبادئ توجيهية أخرى صادرة على الصعيد الإقليمي."),
    (COMPILATION, "4/10", "يمكن أن يحدث في جميع مراحل عملية الاتجار بالأشخاص."),
    (COMPILATION, "5/30", "إذ إنهم هم المسؤولون عن توليد الطلب."),
    (COMPILATION, "8/2(e)", "وتجنب الإجراءات التي يمكن أن تشي عن التعاون الدولي؛"),
    (GA, "PP 2", "ولجانته الفنية ومجلس حقوق الإنسان،"),
    (GA, "PP 7", "وجميع أشكال العنف ضد الأطفال وتعذيبهم،"),
    (GA, "PP 14", "بغية القضاء على ذلك الطلب،"),
    (GA, "PP 20", "والزواج المبكر والزواج بالإكراه ،"),
    (GA, "PP 28", "وعوامل الخطر المتعلقة به،"),
    (GA, "OP 19", "في عملية صنع السلام والاستقرار وإعادة البناء؛"),
    (GA, "OP 33", "بالمخاطر المرتبطة بالاتجار بالأشخاص؛"),
    (DECISION, "OP (l)", "عن طريق البر والبحر والجو وتقديم المساعدة لهم؛"),
    (COP11, "PP 16", "بهدف تعزيز الوعي العام بالاتجار بالأشخاص،"),
    (COP11, "OP 9(c)", "لضحايا الاتجار بالأشخاص وهويتهم؛"),
    (REPORT, "para 8", "مع مرور الوقت."),
    (REPORT, "para 11", '"حملة القلب الأزرق لمناهضة الاتجار بالبشر".'),
    (REPORT, "para 21", "لمكافحة الاتجار على شبكة الإنترنت."),
]


@pytest.mark.parametrize(("doc_id", "label", "ending"), PAGE_BREAKS)
def test_sentences_broken_by_page_breaks_are_joined(seed_docs, doc_id, label, ending) -> None:
    unit = by_label(seed_docs[doc_id])[label]
    assert len(unit.segments) == 2
    assert unit.text.endswith(ending)


def test_no_unit_ends_mid_sentence(seed_docs) -> None:
    open_units = []
    for doc in seed_docs.values():
        for unit in doc.units():
            if (
                unit.kind in ("chapter", "section", "meeting", "agenda_item", "item")
                or not unit.text
            ):
                continue
            last = norm(unit.text).rstrip(" )*")
            while (last and last[-1].isdigit()) or last.endswith("("):
                last = last.rstrip("0123456789(").rstrip(" ^")
            if last[-1:] not in (".", "؛", "،", ":"):
                open_units.append((doc.id, unit.label, unit.text[-30:]))
    assert open_units == []


def test_no_footnote_text_inside_any_unit(seed_docs) -> None:
    for doc in seed_docs.values():
        for note in doc.footnotes:
            for unit in doc.units():
                assert note.text not in unit.text, (doc.id, unit.label, note.label)
                for seg in unit.segments:
                    assert not (seg.start <= note.segment.start < seg.end), (unit.label, note.label)


FOOTNOTES = [
    (COMPILATION, ["*", "1", "2", "3", "4", "5"], {"1": "1/2", "3": "2/1", "5": "2/46"}),
    (DECISION, ["1", "2", "3"], {"1": "PP 1", "2": "OP (a)", "3": "OP (a)"}),
    (COP11, ["1", "2"], {"1": "PP 1", "2": "PP 10"}),
    (
        GA,
        [str(n) for n in range(1, 40)],
        {"17": "PP 16", "22": "OP 5", "37": "OP 25", "39": "OP 50"},
    ),
    (REPORT, [], {}),
]


@pytest.mark.parametrize(("doc_id", "labels", "owners"), FOOTNOTES)
def test_footnotes_are_nodes_linked_to_their_markers(seed_docs, doc_id, labels, owners) -> None:
    doc = seed_docs[doc_id]
    assert (
        sorted(
            (n.label for n in doc.footnotes), key=lambda x: (x != "*", int(x) if x.isdigit() else 0)
        )
        == labels
    )
    found = {n.label: n.unit.label for n in doc.footnotes if n.unit}
    for label, owner in owners.items():
        assert found[label] == owner
    for note in doc.footnotes:
        assert note.marker is not None
        marker = doc.source[note.marker.start : note.marker.end]
        assert norm(marker).strip("^()") == note.label or marker == "*"


def test_reversed_footnote_label_is_read(seed_docs) -> None:
    note = {n.label: n for n in seed_docs[GA].footnotes}["23"]
    assert note.text == ".United Nations, Treaty Series, vol. 2515, No. 44910"


def test_missing_footnote_text_is_reported(seed_docs) -> None:
    messages = [str(w) for w in seed_docs[COP11].warnings]
    assert any("footnote marker (3) at line 45 has no footnote text" in m for m in messages)


def test_provenance_slices_equal_unit_text(seed_docs) -> None:
    checked = 0
    for doc in seed_docs.values():
        for unit in doc.units():
            slices = [doc.source[s.start : s.end] for s in unit.segments]
            assert " ".join(slices) == unit.text, (doc.id, unit.label)
            if len(slices) == 1:
                assert slices[0] == unit.text
            checked += 1
        for note in doc.footnotes:
            assert doc.source[note.segment.start : note.segment.end] == note.text
    assert checked == 568  # 326 + 75 + 90 + 15 + 62 units


HEADERS = [
    (
        COMPILATION,
        {
            "distribution": "General",
            "date": "2019-08-07",
            "language": "Arabic",
            "original": "English",
            "agenda_item": "4",
            "job_number": "V.19-08473",
            "agenda_title": "مسائل أخرى",
        },
    ),
    (REPORT, {"distribution": "Limited", "date": "2019-09-09", "original": "English"}),
    (
        GA,
        {
            "distribution": "Limited",
            "date": "2024-11-13",
            "agenda_item": "27",
            "committee": "اللجنة الثالثة",
            "agenda_title": "النهوض بالمرأة",
        },
    ),
]


@pytest.mark.parametrize(("doc_id", "expected"), HEADERS)
def test_document_headers(seed_docs, doc_id, expected) -> None:
    header = seed_docs[doc_id].header
    assert {k: header.get(k) for k in expected} == expected
