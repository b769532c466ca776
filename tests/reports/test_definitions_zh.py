"""The Chinese definitions the report and other Chinese documents quote: one for every English
definition, with the same keys, written in Chinese (no English words)."""

from __future__ import annotations

import re

import pytest

from wangge.cases import rates
from wangge.finance.payroll import PAYROLL_DEFINITIONS, PAYROLL_DEFINITIONS_ZH
from wangge.finance.selectors import FUNDS_DEFINITIONS, FUNDS_DEFINITIONS_ZH
from wangge.people.turnover import TURNOVER_DEFINITIONS, TURNOVER_DEFINITIONS_ZH

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        (FUNDS_DEFINITIONS, FUNDS_DEFINITIONS_ZH),
        (TURNOVER_DEFINITIONS, TURNOVER_DEFINITIONS_ZH),
        (PAYROLL_DEFINITIONS, PAYROLL_DEFINITIONS_ZH),
        (rates.DEFINITIONS_EN, rates.DEFINITIONS_ZH),
    ],
    ids=["funds", "turnover", "payroll", "cases"],
)
def test_every_key_has_a_chinese_definition(
    english: dict[str, str], chinese: dict[str, str]
) -> None:
    assert set(chinese) == set(english)
    for key, text in chinese.items():
        assert CJK.search(text), key
        assert text != english[key], key


@pytest.mark.parametrize(
    "chinese", [FUNDS_DEFINITIONS_ZH, TURNOVER_DEFINITIONS_ZH, PAYROLL_DEFINITIONS_ZH]
)
def test_the_chinese_definitions_have_no_english_words(chinese: dict[str, str]) -> None:
    assert {k: ENGLISH_WORD.findall(v) for k, v in chinese.items() if ENGLISH_WORD.search(v)} == {}


def test_the_main_formulas_in_chinese() -> None:
    assert "预算执行率 = 支出合计 ÷ 到位资金合计" in FUNDS_DEFINITIONS_ZH["execution_rate"]
    assert "结余 = 到位资金合计 − 支出合计" in FUNDS_DEFINITIONS_ZH["balance"]
    assert "实发工资 = 基本工资 + 绩效工资 − 扣款" in PAYROLL_DEFINITIONS_ZH["net"]
    assert "离职人数 ÷ 平均在岗人数" in TURNOVER_DEFINITIONS_ZH["turnover_rate"]
