"""The category taxonomy (部件/事件 with their 立案结案标准) as CSV: import, export and search.

A city loads its own 立案结案标准 as one CSV file (the shipped default is data/taxonomy.csv,
loaded by migration 0003_default_taxonomy). The columns are ``COLUMNS``; one row per category.

Code scheme of the shipped file (a city's own file may use any code matching
``^[A-Z0-9-]{2,16}$``):

- 部件 whose code the standard confirms keep it verbatim: ``0101`` 上水井盖, ``0102`` 污水井盖.
  These four digits are what appear inside a component's 16-digit identifier (CJ/T 214), so
  people recognise them as they are.
- 事件 whose code the standard confirms get an ``E`` prefix: ``E0101`` 私搭乱建 … ``E0107``.
  The standard numbers events and components in the same four-digit space; the prefix keeps
  codes unique.
- Codes not confirmed by a source are local and start with ``L``: ``LC`` + major + minor for
  components (``LC0103`` 雨水井盖), ``LE`` + major + minor for events (``LE0501`` 占道经营).
  A local code is never ``official``.

``minor_code`` is exported for readers (the four digits of the code) and ignored on import;
``source`` says where each row's code, time limit and conditions come from.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from wangge.cases.models import Category, DispatchTarget, TimeUnit, Urgency
from wangge.core import audit
from wangge.core.errors import DomainError
from wangge.org.models import HandlingUnit
from wangge.people.models import RoleKind

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "taxonomy.csv"

COLUMNS: tuple[str, ...] = (
    "code",
    "kind",
    "major_code",
    "major_name",
    "minor_code",
    "name",
    "official",
    "time_limit",
    "time_unit",
    "urgent_time_limit_hours",
    "urgency",
    "default_target",
    "default_unit_name",
    "duty_role",
    "keywords",
    "filing_condition",
    "closing_condition",
    "source",
)
# Without these a row cannot make a category; every other column may be left out of a city's
# file (a new category then takes the model's default, an existing one keeps its value).
REQUIRED: tuple[str, ...] = ("code", "kind", "major_name", "name", "time_limit", "time_unit")
# Until Category has a ``source`` field, the column is accepted and exported empty; once the
# field exists (a TextField, blank=True) it is stored and exported without a change here.
_HAS_SOURCE = any(f.name == "source" for f in Category._meta.get_fields())

CODE_RE = re.compile(r"^[A-Z0-9-]{2,16}$")
MAJOR_CODE_RE = re.compile(r"^[A-Z0-9]{0,4}$")
# The four digits of a code in the shipped scheme (0101, E0101, LC0103, LE0501).
MINOR_RE = re.compile(r"^L?[CE]?([0-9]{4})$")
MAX_LIMIT = 9999  # a limit beyond this is a typo, not a standard

# Spreadsheets made by hand say 部件/事件 and 工作时/工作日; both spellings are accepted.
KIND_VALUES = {"component": "component", "event": "event", "部件": "component", "事件": "event"}
UNIT_VALUES = {
    "working_hours": "working_hours",
    "working_days": "working_days",
    "工作时": "working_hours",
    "工作日": "working_days",
}
YES_NO = {"yes": True, "no": False, "是": True, "否": False, "": False}
MAX_LENGTHS = {"major_name": 50, "name": 100, "keywords": 200, "default_unit_name": 100}


# --- errors and results --------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem in the file. ``row`` counts the header as row 1, as a spreadsheet shows it;
    ``row`` None is a problem with the file as a whole."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = "file" if self.row is None else f"row {self.row}"
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


class TaxonomyImportError(DomainError):
    """The file was refused and nothing was written; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]) -> None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        super().__init__(str(first) + more, field=first.column, code="import_refused")
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    created: list[str]
    updated: list[str]
    unchanged: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


# --- import --------------------------------------------------------------------------------


def _read_text(file_or_text: str | bytes | Path | IO[str] | IO[bytes]) -> str:
    """The CSV text. A ``str`` is the CSV itself, never a file name (a name would be ambiguous
    with a one-line file): pass a Path to read a file."""
    raw: str | bytes
    if isinstance(file_or_text, Path):
        try:
            raw = file_or_text.read_bytes()
        except OSError as exc:
            raise TaxonomyImportError(
                [RowError(None, None, f"cannot read {file_or_text}: {exc.strerror}")]
            ) from None
    elif isinstance(file_or_text, str | bytes):
        raw = file_or_text
    else:
        raw = file_or_text.read()
    if isinstance(raw, bytes):
        try:
            # utf-8-sig: the byte-order mark Excel writes is not an error.
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TaxonomyImportError(
                [RowError(None, None, f"not UTF-8 text (bad byte at offset {exc.start})")]
            ) from None
    return raw.removeprefix("\ufeff")


def _positive_int(value: str, errors: list[RowError], row: int, column: str) -> int | None:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        errors.append(RowError(row, column, f"must be a whole number ≥ 1 (got {value!r})"))
        return None
    if number > MAX_LIMIT:
        errors.append(RowError(row, column, f"{number} is more than {MAX_LIMIT}: a typo?"))
        return None
    return number


def _choice(
    value: str, allowed: dict[str, str], errors: list[RowError], row: int, column: str
) -> str | None:
    if value in allowed:
        return allowed[value]
    if value.lower() in allowed:
        return allowed[value.lower()]
    names = " | ".join(sorted({v for v in allowed.values() if v}))
    errors.append(RowError(row, column, f"unknown value {value!r}; use {names}"))
    return None


def _parse_row(
    row: int,
    cells: dict[str, str],
    errors: list[RowError],
    units: set[str],
    stored_units: dict[str, str],
) -> dict[str, Any] | None:
    """The model values of one row (only the columns the file has), or None when it has errors.
    Cross-column rules use the row's values; the upsert fills in what the file leaves out."""
    before = len(errors)
    values: dict[str, Any] = {}

    code = cells["code"].upper()
    if not code:
        errors.append(RowError(row, "code", "missing"))
    elif not CODE_RE.match(code):
        errors.append(
            RowError(row, "code", f"{code!r}: use 2–16 digits, capital letters and dashes")
        )
    values["code"] = code

    values["kind"] = _choice(cells["kind"], KIND_VALUES, errors, row, "kind")
    for column in ("major_name", "name"):
        if not cells[column]:
            errors.append(RowError(row, column, "missing"))
        values[column] = cells[column]

    if "official" in cells:
        official = YES_NO.get(cells["official"].lower())
        if official is None:
            errors.append(RowError(row, "official", f"use yes or no (got {cells['official']!r})"))
        elif official and code.startswith("L"):
            errors.append(
                RowError(row, "official", f"{code} is a local code (L…): it cannot be official")
            )
        values["official"] = bool(official)

    if "major_code" in cells:
        if not MAJOR_CODE_RE.match(cells["major_code"].upper()):
            errors.append(RowError(row, "major_code", "use up to 4 digits or capital letters"))
        values["major_code"] = cells["major_code"].upper()

    values["time_limit"] = _positive_int(cells["time_limit"], errors, row, "time_limit")
    values["time_unit"] = _choice(cells["time_unit"], UNIT_VALUES, errors, row, "time_unit")

    if "urgent_time_limit_hours" in cells:
        urgent = None
        if cells["urgent_time_limit_hours"]:
            urgent = _positive_int(
                cells["urgent_time_limit_hours"], errors, row, "urgent_time_limit_hours"
            )
            limit = values["time_limit"]
            # Only comparable in the same unit: a working day's length is the calendar's.
            if (
                urgent is not None
                and limit is not None
                and values["time_unit"] == TimeUnit.WORKING_HOURS
                and urgent > limit
            ):
                errors.append(
                    RowError(
                        row,
                        "urgent_time_limit_hours",
                        f"{urgent} is longer than the normal limit of {limit} working hours",
                    )
                )
        values["urgent_time_limit_hours"] = urgent

    if "urgency" in cells:
        values["urgency"] = (
            _choice(
                cells["urgency"], {str(v): str(v) for v in Urgency.values}, errors, row, "urgency"
            )
            if cells["urgency"]
            else Urgency.NORMAL.value
        )

    target: str | None = None
    if "default_target" in cells:
        target = (
            _choice(
                cells["default_target"],
                {str(v): str(v) for v in DispatchTarget.values},
                errors,
                row,
                "default_target",
            )
            if cells["default_target"]
            else DispatchTarget.WORKSTATION.value
        )
        values["default_target"] = target
    if "default_unit_name" in cells:
        unit = cells["default_unit_name"]
        # Checked only where the file changes it: a unit name a category already has is not the
        # file's mistake, and an export re-imported before the units exist must not fail.
        if unit and unit not in units and unit != stored_units.get(code):
            known = "; ".join(sorted(units)) or "none yet: create the handling units first"
            errors.append(
                RowError(
                    row, "default_unit_name", f"unknown handling unit {unit!r} (known: {known})"
                )
            )
        values["default_unit_name"] = unit
    # A unit name means "dispatch to this unit"; with another target it would be ignored
    # silently, which hides a mistake in the sheet.
    unit_name = values.get("default_unit_name")
    if target == DispatchTarget.UNIT and not unit_name:
        errors.append(RowError(row, "default_unit_name", "required when default_target is unit"))
    elif target is not None and target != DispatchTarget.UNIT and unit_name:
        errors.append(
            RowError(
                row,
                "default_unit_name",
                f"only used when default_target is unit (it is {target}); leave it empty",
            )
        )

    if "duty_role" in cells:
        role = cells["duty_role"]
        if role and role not in RoleKind.values:
            errors.append(
                RowError(
                    row,
                    "duty_role",
                    f"unknown role {role!r}; use {' | '.join(RoleKind.values)} or leave it empty",
                )
            )
        values["duty_role"] = role

    for column in ("keywords", "filing_condition", "closing_condition"):
        if column in cells:
            values[column] = cells[column]
    if "source" in cells and _HAS_SOURCE:
        values["source"] = cells["source"]

    for column, limit in MAX_LENGTHS.items():
        text = values.get(column)
        if isinstance(text, str) and len(text) > limit:
            errors.append(RowError(row, column, f"longer than {limit} characters ({len(text)})"))

    return values if len(errors) == before else None


def parse_taxonomy(text: str) -> list[dict[str, Any]]:
    """Validate a whole file; raise TaxonomyImportError listing every problem in it."""
    reader = csv.reader(io.StringIO(text))
    errors: list[RowError] = []
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise TaxonomyImportError([RowError(1, None, f"not a CSV header: {exc}")]) from None
    if not any(header):
        raise TaxonomyImportError([RowError(None, None, "the file is empty")])
    for column in sorted({h for h in header if header.count(h) > 1}):
        errors.append(RowError(1, column, "column appears more than once"))
    for column in header:
        if column not in COLUMNS:
            errors.append(
                RowError(
                    1, column or "(empty)", f"unknown column; the columns are {', '.join(COLUMNS)}"
                )
            )
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        errors.append(RowError(1, None, f"missing column(s): {', '.join(missing)}"))
    if errors:
        raise TaxonomyImportError(errors)

    units = set(HandlingUnit.objects.values_list("name", flat=True))
    stored_units = dict(Category.objects.values_list("code", "default_unit_name"))
    rows: list[dict[str, Any]] = []
    first_seen: dict[str, int] = {}
    row = 1
    try:
        for row, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue  # blank lines at the end of a hand-edited file are harmless
            if len(record) > len(header):
                errors.append(
                    RowError(row, None, f"{len(record)} cells but the header has {len(header)}")
                )
                continue
            cells = {
                h: (record[i].strip() if i < len(record) else "") for i, h in enumerate(header)
            }
            values = _parse_row(row, cells, errors, units, stored_units)
            code = cells["code"].upper()
            if code and code in first_seen:
                errors.append(
                    RowError(row, "code", f"{code} appears again (first on row {first_seen[code]})")
                )
                continue
            first_seen.setdefault(code, row)
            if values is not None:
                rows.append(values)
    except csv.Error as exc:
        errors.append(RowError(row + 1, None, f"not valid CSV: {exc}"))
    if errors:
        raise TaxonomyImportError(errors)
    if not rows:
        raise TaxonomyImportError([RowError(None, None, "no categories in the file")])
    return rows


def categories_import(
    file_or_text: str | bytes | Path | IO[str] | IO[bytes],
    *,
    actor: AbstractBaseUser | AnonymousUser | None = None,
) -> ImportResult:
    """Upsert categories by code from a CSV: every row is checked first, and the file is
    refused whole (TaxonomyImportError) if any row is wrong. Categories not in the file are
    left alone: cases point at them, and a city may load its standard in several files."""
    rows = parse_taxonomy(_read_text(file_or_text))
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    with transaction.atomic():
        existing = {c.code: c for c in Category.objects.select_for_update()}
        for values in rows:
            code = values.pop("code")
            category = existing.get(code)
            if category is None:
                Category.objects.create(code=code, **values)
                created.append(code)
                continue
            changed = [k for k, v in values.items() if getattr(category, k) != v]
            if not changed:
                # Not saved: updated_at keeps telling when the standard last really changed.
                unchanged.append(code)
                continue
            for k in changed:
                setattr(category, k, values[k])
            category.save(update_fields=[*changed, "updated_at"])
            updated.append(code)
        result = ImportResult(created=created, updated=updated, unchanged=unchanged)
        audit.record(
            actor=actor,
            action="categories.import",
            object_type="category",
            summary=(
                f"imported {result.count} categories: {len(created)} new,"
                f" {len(updated)} changed, {len(unchanged)} unchanged"
            ),
            data={"created": created, "updated": updated},
        )
    return result


# --- export --------------------------------------------------------------------------------


def minor_code(code: str) -> str:
    """The four digits of a code in the shipped scheme, or "" for a city's own scheme."""
    match = MINOR_RE.match(code)
    return match.group(1) if match else ""


def category_row(category: Category) -> dict[str, str]:
    return {
        "code": category.code,
        "kind": category.kind,
        "major_code": category.major_code,
        "major_name": category.major_name,
        "minor_code": minor_code(category.code),
        "name": category.name,
        "official": "yes" if category.official else "no",
        "time_limit": str(category.time_limit),
        "time_unit": category.time_unit,
        "urgent_time_limit_hours": str(category.urgent_time_limit_hours or ""),
        "urgency": category.urgency,
        "default_target": category.default_target,
        "default_unit_name": category.default_unit_name,
        "duty_role": category.duty_role,
        "keywords": category.keywords,
        "filing_condition": category.filing_condition,
        "closing_condition": category.closing_condition,
        "source": str(getattr(category, "source", "")) if _HAS_SOURCE else "",
    }


def categories_export(categories: Iterable[Category] | None = None) -> str:
    """Every category (or the given ones) as CSV with ``COLUMNS``: importing it changes nothing."""
    if categories is None:
        categories = Category.objects.all()  # model ordering: kind, major class, code
    buf = io.StringIO()
    writer = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for category in categories:
        writer.writerow(category_row(category))
    return buf.getvalue()


# --- search --------------------------------------------------------------------------------

_NON_WORD = re.compile(r"[^0-9a-z]")


@dataclass(frozen=True)
class Readings:
    """How a text reads in pinyin, one entry per character that counts (CJK, letters, digits)."""

    usual: str  # initials of the usual reading in context: 占道经营 → zdjy
    every: tuple[frozenset[str], ...]  # initials of every reading of each character: 车 → c, j
    full: str  # the usual reading spelled out: zhandaojingying


def _each_char(text: str) -> Any:
    """pypinyin's ``errors`` hook: keep non-Chinese text one item per character (it accepts a
    list although its stubs say str)."""
    return list(text)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@functools.lru_cache(maxsize=8192)
def _readings(text: str) -> Readings | None:
    """The pinyin of a name or keyword, or None without pypinyin. Cached by the text itself, so
    an edited name never reads a stale entry."""
    try:
        from pypinyin import Style, lazy_pinyin, pinyin
    except ImportError:  # search still matches names, codes and keywords
        return None
    # One item per character, so that the list lines up with the text.
    usual = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=_each_char)
    if len(usual) != len(text):  # not expected; fall back to reading character by character
        usual = [lazy_pinyin(ch, style=Style.FIRST_LETTER)[0] if _is_cjk(ch) else ch for ch in text]
    firsts: list[str] = []
    every: list[frozenset[str]] = []
    for ch, first in zip(text, usual, strict=True):
        if _is_cjk(ch):
            readings = pinyin(ch, style=Style.FIRST_LETTER, heteronym=True)[0]
            firsts.append(first[:1].lower())
            every.append(frozenset(r[:1].lower() for r in readings if r) | {first[:1].lower()})
        elif ch.isascii() and ch.isalnum():
            firsts.append(ch.lower())
            every.append(frozenset(ch.lower()))
    full = _NON_WORD.sub("", "".join(lazy_pinyin(text)).lower())
    return Readings("".join(firsts), tuple(every), full)


def _every_at(every: tuple[frozenset[str], ...], query: str) -> int | None:
    """Where the query's letters match consecutive characters' initials, any reading, or None."""
    n = len(query)
    for start in range(len(every) - n + 1):
        if all(query[i] in every[start + i] for i in range(n)):
            return start
    return None


def _pinyin_rank(texts: list[str], query: str) -> int | None:
    """Ranks 10–21, after every plain match, best first: the usual initials or the full reading
    from the start, then inside, then any reading of a polyphone (立 also reads wei), which is
    the noisiest. The first text is the name: at the same level it beats a keyword (占道经营
    before 施工占道 for "zhandao")."""
    best: int | None = None
    for position, text in enumerate(texts):
        r = _readings(text)
        if r is None:
            return None
        if r.usual.startswith(query):
            rank: int | None = 5
        elif r.full.startswith(query):
            rank = 6
        elif query in r.usual:
            rank = 7
        elif query in r.full:
            rank = 8
        else:
            at = _every_at(r.every, query)
            rank = None if at is None else 9 if at == 0 else 10
        if rank is None:
            continue
        rank = rank * 2 + (position > 0)
        if best is None or rank < best:
            best = rank
    return best


def _rank(category: Category, query: str, folded: str) -> int | None:
    """Lower is better; None is no match."""
    code = category.code.lower()
    keywords = [k for k in re.split(r"[,，;；、\s]+", category.keywords) if k]
    if code == folded:
        return 0
    if category.name.startswith(query):
        return 1
    if query in category.name:
        return 2
    if code.startswith(folded):
        return 3
    if any(query in k for k in keywords):
        return 4
    if query in category.major_name or folded in code:
        return 5  # the whole class (街面秩序), or a code fragment
    # Pinyin for people typing on a handset without a Chinese input method: zdjy → 占道经营.
    if len(folded) >= 2 and folded.isascii() and folded.isalpha():
        return _pinyin_rank([category.name, *keywords], folded)
    return None


def category_search(
    query: str, limit: int = 20, *, include_inactive: bool = False
) -> list[Category]:
    """Categories matching a name, code, keyword, class, pinyin initials (zdjy) or pinyin
    (zhandao), best first: exact code, name prefix, name, code prefix, keyword, class or code
    fragment, then pinyin. An empty query lists the first ``limit`` (a picker's first page)."""
    if limit < 1:
        return []
    query = query.strip()
    categories = (
        Category.objects.all() if include_inactive else Category.objects.filter(active=True)
    )
    if not query:
        return list(categories[:limit])
    folded = query.lower()
    ranked = []
    for category in categories:  # a few hundred rows: ranking in Python is simpler than SQL
        rank = _rank(category, query, folded)
        if rank is not None:
            ranked.append((rank, category.kind, category.code, category))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked[:limit]]
