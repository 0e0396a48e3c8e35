"""Recognises input the assistant must not act on (contract §5): empty, too long, emoji only, other scripts,
markup, SQL, or text that tries to give the assistant instructions. Pure text → reason or None."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 2000
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|javascript:|on(error|load|click)\s*=|&lt;script"
                     r"|\$\{[^}]*\}|\{\{[^}]*\}\}|\{%[^%]*%\}", re.I)  # and template syntax: ${7*7}, {{7*7}}
_SQL = re.compile(r"\b(drop|truncate|delete|insert|update|select|union|alter)\b[\s\S]{0,40}\b(table|from|into|set|select|database)\b"
                  r"|'\s*or\s*'?1'?\s*=\s*'?1|;\s*--|/\*.*\*/|\bsleep\s*\(|xp_cmdshell", re.I)
_PROMPT = re.compile(r"忽略(之前|以上|前面|上面|所有)|无视(之前|以上)|系统提示|提示词|你现在是|扮演|越狱|ignore (all |the )?(previous|above)"
                     r"|(无论|不管)我(说|问|发)什么|你(都|只)(要|能|必须)?回复"
                     r"|system prompt|jailbreak|developer mode|act as", re.I)
_OTHER_SCRIPTS = ("CYRILLIC", "ARABIC", "HEBREW", "THAI", "DEVANAGARI", "HANGUL", "GREEK", "ARMENIAN", "GEORGIAN",
                  "TAMIL", "BENGALI", "ETHIOPIC", "KHMER", "TIBETAN", "MONGOLIAN")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _is_symbol(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "SZCP" or ch in "\u200d\ufe0f"


def problem(text: str | None) -> str | None:
    """Why this message cannot be taken (a reason code), or None when it is ordinary input."""
    text = (text or "").strip()
    if not text:
        return "empty"
    if len(text) > MAX_LENGTH:
        return "too_long"
    if _MARKUP.search(text) or _SQL.search(text):
        return "hostile"
    if _PROMPT.search(text):
        return "instructions"
    if all(_is_symbol(ch) for ch in text):
        return "emoji_only"
    if any(unicodedata.name(ch, "").startswith(_OTHER_SCRIPTS) for ch in text):
        return "mixed_script"
    latin_words = re.findall(r"[A-Za-z]{2,}", text)
    if not any(_is_cjk(ch) for ch in text) and len(latin_words) >= 3:
        return "not_chinese"
    return None
