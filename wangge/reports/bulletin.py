"""The monthly bulletin (考核情况通报): the communities' ranking with its remarks and the staff
ranking per role, as a :class:`~wangge.reports.document.Document` to render as Word or PDF.

The bulletin is an official Chinese document, so its text is Chinese whatever the interface
language. Every figure comes from the assessment's ranking (:mod:`wangge.reports.ranking`);
nothing is computed here but the layout.

Addressed copies (``audience``) carry one role's staff table only, for the body that employs
those staff: "police" (社区民警 → 区公安分局), "sanitation" (环卫保洁人员 → 区城管局),
"supervisor" (网格监督员 → 区网格中心).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from wangge.cases.rates import Period
from wangge.core.errors import DomainError
from wangge.org.models import District, GridCenter, Subdistrict
from wangge.people.models import RoleKind
from wangge.reports.document import Document, Heading, Paragraph, Table
from wangge.reports.ranking import (
    COMMUNITY,
    STAFF,
    NoRun,
    RankingTable,
    Row,
    Source,
    columns,
    fetch,
    top_points,
)

# The roles' names in the bulletin (the glossary's), in the order the bulletin lists them.
ROLE_NAMES: dict[str, str] = {
    RoleKind.SUPERVISOR.value: "网格监督员",
    RoleKind.ENFORCER.value: "城管执法队员",
    RoleKind.SANITATION.value: "环卫保洁人员",
    RoleKind.POLICE.value: "社区民警",
    RoleKind.COMMUNITY_WORKER.value: "社区专职工作人员",
}
NUMERALS = "一二三四五六七八九十"
UNSCORED = "待评"  # a manual item of a draft the assessment group has not scored yet


@dataclass(frozen=True)
class Audience:
    code: str
    role: str
    addressee: str  # 公安分局: the district's name goes before it


AUDIENCES: dict[str, Audience] = {
    "police": Audience("police", RoleKind.POLICE.value, "公安分局"),
    "sanitation": Audience("sanitation", RoleKind.SANITATION.value, "城管局"),
    "supervisor": Audience("supervisor", RoleKind.SUPERVISOR.value, "网格中心"),
}


def audience_of(code: str | None) -> Audience | None:
    """The addressed copy's audience, None for the full bulletin; an unknown code is an error."""
    if code in (None, ""):
        return None
    if code not in AUDIENCES:
        raise DomainError(
            f"{code!r} is not an audience: use one of {', '.join(AUDIENCES)}"
            " (or none for the full bulletin)",
            field="audience",
        )
    return AUDIENCES[code]


def _area() -> tuple[str, str]:
    """The name the bulletin is issued in (the subdistrict when there is one) and the
    district's name."""
    subdistricts = list(Subdistrict.objects.select_related("district")[:2])
    if len(subdistricts) == 1:
        return subdistricts[0].name, subdistricts[0].district.name
    districts = list(District.objects.all()[:2])
    district = districts[0].name if len(districts) == 1 else ""
    return district, district


def _addressee(audience: Audience, district: str) -> str:
    if audience.code == "supervisor":
        centre = GridCenter.objects.filter(level=GridCenter.Level.DISTRICT).order_by("pk").first()
        if centre is not None:
            return centre.name
    prefix = district if district.endswith("区") else "区"
    return f"{prefix}{audience.addressee}"


def _points(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize() if value == value.to_integral() else value, "f")


def _ranking_table(ranking: RankingTable, first: str) -> Table:
    items = columns(ranking.rows)
    heads = ["名次", first, "总分"] + [
        f"{i.name}（{_points(i.max_points)}分）" if i.max_points is not None else i.name
        for i in items
    ]
    rows: list[list[str | int | Decimal | None]] = []
    for row in ranking.rows:
        points = top_points(row)
        cells: list[str | int | Decimal | None] = [row.rank, row.name, _points(row.total)]
        cells += [_points(points.get(i.code)) or UNSCORED for i in items]
        rows.append(cells)
    widths = [0.7, 2.2, 0.9] + [1.0] * len(items)
    note = f"考核方案：{ranking.scheme}（第{ranking.version}版）。" if ranking.scheme else ""
    align = ["center", "left"] + ["center"] * (len(heads) - 2)
    return Table(columns=heads, rows=rows, widths=widths, note=note, align=align)


def _remarks(rows: tuple[Row, ...]) -> list[Paragraph]:
    out = []
    for row in rows:
        notes = [f"{i.name}：{i.remarks}" for i in row.items if i.remarks.strip()]
        if notes:
            out.append(Paragraph(f"{row.name}：" + "；".join(notes) + "。"))
    return out


def _status(ranking: RankingTable) -> str:
    if not ranking.published:
        return "本月考核结果为草稿，尚未发布，仅供核对。"
    when = ""
    if ranking.published_at is not None:
        local = timezone.localtime(ranking.published_at)
        when = f"于{local.year}年{local.month}月{local.day}日"
    text = f"本月考核结果{when}发布"
    if ranking.version > 1:
        text += f"，为第{ranking.version}版（更正）"
        if ranking.reason:
            text += f"，更正原因：{ranking.reason}"
    return text + "。"


def _role_section(
    title: str, role: str, period: str, source: Source | None
) -> list[Heading | Paragraph | Table]:
    """A role's part of the full bulletin; a role without a run says so."""
    blocks: list[Heading | Paragraph | Table] = [Heading(2, title)]
    try:
        ranking = fetch(period, STAFF, role, source=source)
    except NoRun:
        return [*blocks, Paragraph("本月该岗位未进行考核。")]
    return [*blocks, *_staff_blocks(ranking)]


def _staff_blocks(ranking: RankingTable) -> list[Paragraph | Table]:
    if not ranking.rows:
        return [Paragraph("本月该岗位无参加考核人员。")]
    return [_ranking_table(ranking, "姓名"), *_remarks(ranking.rows)]


def bulletin(period: str, audience: str | None = None, *, source: Source | None = None) -> Document:
    """The bulletin of the month ``period`` ("YYYY-MM"); ``audience`` ("police", "sanitation",
    "supervisor") for an addressed copy with that role's staff only. ``source`` replaces the
    assessment's ranking selector (see :func:`wangge.reports.ranking.fetch`)."""
    month = Period.month(period)
    label = month.label
    year, mon = int(label[:4]), int(label[5:7])
    who = audience_of(audience)
    area, district = _area()
    if who is not None:
        role_name = ROLE_NAMES[who.role]
        staff = fetch(label, STAFF, who.role, source=source)
        draft = "" if staff.published else "（草稿）"
        title = f"{area}网格化管理工作{year}年{mon}月考核情况通报{draft}"
        doc = Document(title=title, subtitle=f"（{role_name}）")
        doc.add(
            Paragraph(f"{_addressee(who, district)}："),
            Paragraph(
                f"现将{area}{year}年{mon}月{role_name}网格化管理工作考核情况通报如下。"
                + _status(staff)
            ),
        )
        doc.add(Heading(1, f"一、{role_name}考核排名"), *_staff_blocks(staff))
        return doc

    communities = fetch(label, COMMUNITY, source=source)
    draft = "" if communities.published else "（草稿）"
    doc = Document(title=f"{area}网格化管理工作{year}年{mon}月考核情况通报{draft}")
    doc.add(
        Paragraph(
            f"根据网格化管理绩效考核办法，现将{year}年{mon}月各社区及网格员考核情况通报如下。"
            + _status(communities)
        ),
        Heading(1, "一、社区考核排名"),
    )
    if communities.rows:
        doc.add(_ranking_table(communities, "社区"))
    else:
        doc.add(Paragraph("本月无参加考核的社区。"))
    doc.add(Heading(1, "二、考核情况说明"))
    remarks = _remarks(communities.rows)
    doc.add(*(remarks or [Paragraph("本月各社区考核无扣分说明。")]))
    doc.add(Heading(1, "三、网格员考核排名"))
    for n, (role, name) in enumerate(ROLE_NAMES.items()):
        doc.add(*_role_section(f"（{NUMERALS[n]}）{name}", role, label, source))
    return doc


def file_name(period: str, audience: str | None, ext: str) -> str:
    """The download's name, e.g. "2026年10月考核情况通报（社区民警）.pdf"."""
    label = Period.month(period).label
    who = audience_of(audience)
    suffix = f"（{ROLE_NAMES[who.role]}）" if who else ""
    return f"{int(label[:4])}年{int(label[5:7])}月考核情况通报{suffix}.{ext}"
