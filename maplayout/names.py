"""Chinese script conversion and name normalisation for matching.

The source article is in Traditional Chinese, the boundary data in Simplified; users type
either, or English, in any case, with or without the administrative suffix. :func:`normalise`
folds all of that into one key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

__all__ = ["ADMIN_SUFFIXES", "normalise", "strip_suffix", "to_hans", "to_hant"]

#: Suffixes stripped for matching, longest first (so 自治州 goes before 州).
ADMIN_SUFFIXES: tuple[str, ...] = (
    "土家族苗族自治州",
    "瑶族自治县",
    "苗族自治县",
    "侗族自治县",
    "土家族自治县",
    "苗族侗族自治县",
    "自治州",
    "自治县",
    "地区",
    "市",
    "州",
    "县",
    "区",
    "省",
)
_EN_SUFFIXES = (
    " tujia and miao autonomous prefecture",
    " autonomous prefecture",
    " yao autonomous county",
    " miao autonomous county",
    " dong autonomous county",
    " miao and dong autonomous county",
    " tujia autonomous county",
    " autonomous county",
    " prefecture",
    " province",
    " district",
    " county",
    " city",
)


@lru_cache(maxsize=2)
def _converter(config: str) -> Any:
    from opencc import OpenCC

    return OpenCC(config)


@lru_cache(maxsize=4096)
def to_hans(text: str) -> str:
    """Traditional → Simplified (OpenCC ``t2s``); Simplified text passes through."""
    return _converter("t2s").convert(text) if text else text


@lru_cache(maxsize=4096)
def to_hant(text: str) -> str:
    """Simplified → Traditional, Taiwan standard forms (OpenCC ``s2tw``: 為, 峰, 裡)."""
    return _converter("s2tw").convert(text) if text else text


def strip_suffix(name: str) -> str:
    """Remove one administrative suffix (Simplified script) unless nothing would remain."""
    for suf in sorted(ADMIN_SUFFIXES, key=len, reverse=True):
        if name.endswith(suf) and len(name) > len(suf) + 1:
            return name[: -len(suf)]
    return name


_SPACE = re.compile(r"[\s\-_'’·•.,()（）]+")


def normalise(name: object) -> str:
    """Matching key: NFKC, Simplified script, no admin suffix, lower case, no spaces.

    >>> normalise("長沙市") == normalise("长沙") == normalise("  Changsha City ")
    True
    """
    text = unicodedata.normalize("NFKC", str(name)).strip()
    if not text:
        return ""
    if text.isascii():
        low = " ".join(text.lower().split())
        for suf in _EN_SUFFIXES:
            if low.endswith(suf) and len(low) > len(suf):
                low = low[: -len(suf)]
                break
        return _SPACE.sub("", low)
    return _SPACE.sub("", strip_suffix(to_hans(text))).lower()
