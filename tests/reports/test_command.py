"""``wangge bulletin YYYY-MM -o FILE [--audience …]``."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.reports.pdf_text import docx_text, pdf_pages


def run(*args: str) -> None:
    call_command("bulletin", *args)


def test_writes_word(cast, assessment, tmp_path, capsys):
    assessment.months["2026-10"] = True
    run("2026-10", "-o", str(tmp_path / "b.docx"))
    paragraphs, _ = docx_text((tmp_path / "b.docx").read_bytes())
    assert paragraphs[0] == "洛龙街道网格化管理工作2026年10月考核情况通报"
    assert "Wrote 洛龙街道网格化管理工作2026年10月考核情况通报 to" in capsys.readouterr().err


def test_writes_an_addressed_pdf(cast, assessment, tmp_path):
    assessment.months["2026-10"] = True
    run("2026-10", "-o", str(tmp_path / "b.pdf"), "--audience", "sanitation")
    whole = "".join(pdf_pages((tmp_path / "b.pdf").read_bytes()))
    assert "环卫工丙" in whole and "民警辛" not in whole


def test_a_file_that_cannot_be_written_is_one_line_and_exit_1(cast, assessment, tmp_path, capsys):
    assessment.months["2026-10"] = True
    out = tmp_path / "no-such-folder" / "b.pdf"
    with pytest.raises(CommandError) as err:
        run("2026-10", "-o", str(out))
    assert f"cannot write {out}: No such file or directory" == str(err.value)
    assert err.value.returncode == 1
    assert not out.parent.exists()
    assert "Wrote" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2026-10", "-o", "b.odt"), "'b.odt' does not end in .docx or .pdf"),
        (("2026-13", "-o", "b.pdf"), "'2026-13' is not a month"),
        (("2026-09", "-o", "b.pdf"), "2026-09 has no assessment of the communities"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cast, assessment, tmp_path, monkeypatch, args,
                                           message):  # fmt: skip
    assessment.months["2026-10"] = True
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError) as err:
        run(*args)
    assert message in str(err.value)
    assert "\n" not in str(err.value)
    assert err.value.returncode == 2
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_month_whose_role_was_not_assessed_refuses_the_addressed_copy(
    cast, assessment, tmp_path, monkeypatch
):
    def communities_only(period, subject, role=None):
        if subject == "staff":
            from wangge.core.errors import NotFound

            raise NotFound("no staff scores")
        return assessment.ranking(period, subject, role)

    assessment.months["2026-10"] = True
    monkeypatch.setattr("wangge.reports.ranking._assessment_ranking", lambda: communities_only)
    with pytest.raises(CommandError, match="2026-10 has no assessment of the police staff"):
        run("2026-10", "-o", str(tmp_path / "b.pdf"), "--audience", "police")


def test_an_unknown_audience_is_refused(cast, assessment, tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'mayor'"):
        run("2026-10", "-o", str(tmp_path / "b.pdf"), "--audience", "mayor")
