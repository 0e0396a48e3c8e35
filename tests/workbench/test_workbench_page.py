"""The workbench page (bot/web/workbench/) holds no wording of its own: every label it shows is a word of
policy_db/workbench_words.yaml by name, and nothing is ever put into the page as HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

WEB = Path(__file__).parents[2] / "bot" / "web" / "workbench"
WORDS = yaml.safe_load((Path(__file__).parents[2] / "policy_db" / "workbench_words.yaml").read_text(encoding="utf-8"))
SCRIPTS = sorted(WEB.glob("*.js"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def _code(path: Path) -> str:
    """The script without its comments."""
    text = path.read_text(encoding="utf-8")
    return re.sub(r"//[^\n]*", "", re.sub(r"/\*.*?\*/", "", text, flags=re.S))


def test_every_word_the_page_names_is_in_the_words_file():
    html = (WEB / "index.html").read_text(encoding="utf-8")
    named = set(re.findall(r'data-word="(\w+)"', html))
    for path in SCRIPTS:
        named |= set(re.findall(r'\bsay\("(\w+)"[,)]', _code(path)))
        named |= {"limit_at_most", "limit_at_least"} if 'say("limit_" +' in _code(path) else set()
    assert named and named <= set(WORDS["page"]), sorted(named - set(WORDS["page"]))


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_the_scripts_carry_no_chinese_wording_of_their_own(path):
    assert not [line for line in _code(path).splitlines() if CJK.search(line)]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_the_scripts_never_write_html(path):
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", _code(path))


def test_the_page_has_no_inline_script_or_style():
    html = (WEB / "index.html").read_text(encoding="utf-8")
    assert "<style" not in html and " style=" not in html and " on" not in re.sub(r"<noscript>.*?</noscript>", "", html)
    assert re.findall(r"<script[^>]*>", html) == ['<script type="module" src="/workbench/workbench.js">']
