"""The monthly bulletin (考核情况通报): what it says, as Word and as PDF."""

from __future__ import annotations

import pytest

from tests.reports.pdf_text import docx_text, pdf_pages
from wangge.core.errors import DomainError, NotFound
from wangge.reports.bulletin import bulletin, file_name
from wangge.reports.document import Heading, Paragraph, Table
from wangge.reports.render_docx import to_docx
from wangge.reports.render_pdf import to_pdf

TITLE = "洛龙街道网格化管理工作2026年10月考核情况通报"


def tables(doc):
    return [b for b in doc.blocks if isinstance(b, Table)]


def text(doc):
    return "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))


def test_title_names_the_subdistrict_and_month(cast, assessment):
    assessment.months["2026-10"] = True
    assert bulletin("2026-10").title == TITLE


def test_community_table_has_rank_name_total_and_each_indicator(cast, assessment):
    assessment.months["2026-10"] = True
    communities = tables(bulletin("2026-10"))[0]
    assert list(communities.columns) == [
        "名次",
        "社区",
        "总分",
        "管理体制（10分）",
        "案件处置（67分）",
        "重点案件督办机制（15分）",
        "城市运行体系建设（8分）",
    ]
    assert [list(r) for r in communities.rows] == [
        [1, "吴家营社区", "96.50", "10", "64.50", "14", "8"],
        [2, "洛龙社区", "88.25", "9", "60.25", "12", "7"],
    ]


def test_remarks_follow_the_ranking(cast, assessment):
    assessment.months["2026-10"] = True
    body = text(bulletin("2026-10"))
    assert "吴家营社区：案件处置：超期案件2件。" in body
    assert "洛龙社区：管理体制：例会缺席1次。" in body


def test_full_bulletin_ranks_the_staff_of_every_role(cast, assessment):
    assessment.months["2026-10"] = True
    doc = bulletin("2026-10")
    staff = tables(doc)[1:]
    assert len(staff) == 5
    names = [[r[1] for r in t.rows] for t in staff]
    assert names == [["监督员乙", "监督员戊"], ["执法队员己"], ["环卫工丙", "环卫工庚"],
                     ["民警辛"], ["社工壬"]]  # fmt: skip
    sanitation = staff[2]
    assert [r[0] for r in sanitation.rows] == [1, 1]  # a tie keeps its shared rank
    assert list(sanitation.columns) == [
        "名次",
        "姓名",
        "总分",
        "在岗在线（50分）",
        "有效上报（50分）",
    ]


def test_a_draft_month_says_so_in_the_title(cast, assessment):
    assessment.months["2026-10"] = False
    doc = bulletin("2026-10")
    assert doc.title == TITLE + "（草稿）"
    assert "草稿" in text(doc)


def test_a_published_month_says_when(cast, assessment):
    assessment.months["2026-10"] = True
    assert "本月考核结果于2026年11月3日发布。" in text(bulletin("2026-10"))


def test_a_month_without_a_run_is_a_clear_error(cast, assessment):
    with pytest.raises(NotFound, match=r"2026-09 has no assessment .*wangge assess 2026-09"):
        bulletin("2026-09")


def test_a_malformed_month_is_refused(cast, assessment):
    with pytest.raises(DomainError, match="is not a month"):
        bulletin("2026-13")


@pytest.mark.parametrize(
    ("audience", "role_name", "addressee", "staff"),
    [
        ("police", "社区民警", "呈贡区公安分局：", ["民警辛"]),
        ("sanitation", "环卫保洁人员", "呈贡区城管局：", ["环卫工丙", "环卫工庚"]),
        ("supervisor", "网格监督员", "呈贡区网格中心：", ["监督员乙", "监督员戊"]),
    ],
)
def test_an_addressed_copy_has_its_role_only(cast, assessment, audience, role_name, addressee,
                                             staff):  # fmt: skip
    assessment.months["2026-10"] = True
    doc = bulletin("2026-10", audience)
    assert doc.subtitle == f"（{role_name}）"
    assert text(doc).startswith(addressee)
    assert Heading(1, f"一、{role_name}考核排名") in doc.blocks
    only = tables(doc)
    assert len(only) == 1
    assert [r[1] for r in only[0].rows] == staff
    assert "吴家营社区" not in text(doc)  # no community ranking, no other role
    assert {c[2] for c in assessment.calls if c[1] == "staff"} == {audience}


def test_an_unknown_audience_is_refused(cast, assessment):
    assessment.months["2026-10"] = True
    with pytest.raises(DomainError, match="'mayor' is not an audience: use one of police"):
        bulletin("2026-10", "mayor")


def test_bulletin_as_word(cast, assessment):
    assessment.months["2026-10"] = True
    paragraphs, docx_tables = docx_text(to_docx(bulletin("2026-10")))
    assert paragraphs[0] == TITLE
    assert docx_tables[0][1][:3] == ["1", "吴家营社区", "96.50"]
    assert len(docx_tables) == 6


def test_bulletin_as_pdf_shows_its_chinese_text_on_the_first_page(cast, assessment):
    assessment.months["2026-10"] = True
    first = pdf_pages(to_pdf(bulletin("2026-10")))[0]
    assert TITLE in first.replace("\n", "")
    assert "吴家营社区" in first
    assert "96.50" in first


def test_addressed_pdf_carries_only_its_staff(cast, assessment):
    assessment.months["2026-10"] = True
    whole = "".join(pdf_pages(to_pdf(bulletin("2026-10", "police"))))
    assert "民警辛" in whole
    assert "监督员乙" not in whole and "环卫工丙" not in whole and "吴家营社区" not in whole


def test_file_names():
    assert file_name("2026-10", None, "pdf") == "2026年10月考核情况通报.pdf"
    assert file_name("2026-10", "police", "docx") == "2026年10月考核情况通报（社区民警）.docx"


def test_a_correction_says_its_version_and_reason(cast):
    from tests.reports.conftest import community_table, staff_table

    def source(period, subject, role=None):
        if subject == "community":
            return community_table(period, version=2)
        return staff_table(period, role)

    body = text(bulletin("2026-10", source=source))
    assert "为第2版（更正），更正原因：案件补录。" in body


def test_a_role_without_a_run_is_noted_in_the_full_bulletin(cast):
    from tests.reports.conftest import community_table, staff_table

    def source(period, subject, role=None):
        if subject == "staff" and role == "police":
            raise NotFound("no police scheme")
        return community_table(period) if subject == "community" else staff_table(period, role)

    doc = bulletin("2026-10", source=source)
    assert len(tables(doc)) == 5
    assert "本月该岗位未进行考核。" in text(doc)
