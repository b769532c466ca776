"""The committed Simplified Chinese catalogue is complete, keeps its placeholders and is compiled.

Users' machines have no gettext, so both django.po and django.mo are committed: after
`django-admin makemessages -l zh_Hans …` and translating, run `django-admin compilemessages`
(both from the wangge/ folder).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib
import pytest

import wangge

LC_MESSAGES = Path(wangge.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

# printf-style placeholders as Python (and blocktranslate) write them: %(name)s, %d, %s, %.1f…;
# "%%" is a literal percent sign, not a placeholder.
PRINTF = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifrxXeEgGcaou%]")
# Template variables, should a msgid ever keep one literally.
TEMPLATE_VAR = re.compile(r"\{\{\s*[^}]+?\s*\}\}")


def placeholders(text: str) -> Counter[str]:
    found = [p for p in PRINTF.findall(text) if p != "%%"]
    found += [re.sub(r"\s+", "", v) for v in TEMPLATE_VAR.findall(text)]
    return Counter(found)


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(PO))


def _name(entry: polib.POEntry) -> str:
    where = ", ".join(f"{f}:{n}" for f, n in entry.occurrences[:2])
    ctx = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{ctx}{entry.msgid!r} ({where})"


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_the_catalogue_is_for_simplified_chinese(po):
    assert po.metadata["Language"] == "zh_Hans"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"].startswith("nplurals=1;")
    assert len(po) > 0


def test_every_entry_is_translated_and_none_is_fuzzy(po):
    live = [e for e in po if not e.obsolete]
    fuzzy = [_name(e) for e in live if "fuzzy" in e.flags]
    untranslated = [
        _name(e) for e in live if not all(s.strip() for s in _translations(e)) or not e.translated()
    ]
    assert not fuzzy, "fuzzy entries:\n" + "\n".join(fuzzy)
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


def test_plural_entries_have_the_one_form_chinese_needs(po):
    wrong = [
        _name(e) for e in po if e.msgid_plural and not e.obsolete and not e.msgstr_plural.get(0)
    ]
    assert not wrong, "plural entries without msgstr[0]:\n" + "\n".join(wrong)


def test_every_placeholder_is_kept(po):
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        wanted = placeholders(entry.msgid)
        if entry.msgid_plural:
            # One Chinese form stands for both: it needs what the plural form uses.
            wanted = placeholders(entry.msgid_plural) | wanted
        for text in _translations(entry):
            got = placeholders(text)
            missing = wanted - got
            extra = got - wanted
            if missing or extra:
                problems.append(
                    f"{_name(entry)} → {text!r}: missing {sorted(missing)}, extra {sorted(extra)}"
                )
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_the_placeholder_finder_itself():
    assert placeholders("Page %(number)s of %(total)s") == Counter(["%(number)s", "%(total)s"])
    assert placeholders("%d tokens, 100%% done") == Counter(["%d"])
    assert placeholders("Rules propose tier {{ tier }}") == Counter(["{{tier}}"])


def _entries(catalogue: polib._BaseFile) -> dict[tuple[str, str], object]:
    out: dict[tuple[str, str], object] = {}
    for e in catalogue:
        if e.obsolete or "fuzzy" in e.flags or not e.msgid:
            continue
        key = (e.msgctxt or "", e.msgid)
        if e.msgid_plural:
            out[key] = (e.msgid_plural, {int(k): v for k, v in e.msgstr_plural.items()})
        else:
            out[key] = e.msgstr
    return out


def test_the_committed_mo_is_compiled_from_the_po(po, tmp_path):
    assert MO.exists(), "django.mo is missing: run `django-admin compilemessages -l zh_Hans`"
    fresh = tmp_path / "django.mo"
    po.save_as_mofile(str(fresh))
    expected = _entries(polib.mofile(str(fresh)))
    committed = _entries(polib.mofile(str(MO)))
    stale = sorted(k[1] for k in expected.keys() - committed.keys())
    gone = sorted(k[1] for k in committed.keys() - expected.keys())
    changed = sorted(
        k[1] for k in expected.keys() & committed.keys() if expected[k] != committed[k]
    )
    assert not (stale or gone or changed), (
        "django.mo is out of date with django.po; run `django-admin compilemessages -l zh_Hans` "
        f"in wangge/.\nnot in the .mo: {stale}\nonly in the .mo: {gone}\ndiffering: {changed}"
    )
    assert polib.mofile(str(MO)).metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]
