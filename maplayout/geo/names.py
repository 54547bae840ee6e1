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

__all__ = [
    "ADMIN_SUFFIXES",
    "normalise",
    "strip_suffix",
    "to_hans",
    "to_hant",
    "viewer_suffixes",
]

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
#: English suffixes, in the order the viewer's search pattern lists its own (see
#: :func:`viewer_suffixes`); matching tries the longest first.
_EN_LISTED = (
    " city",
    " county",
    " district",
    " prefecture",
    " province",
    " autonomous prefecture",
    " autonomous county",
    " tujia and miao autonomous prefecture",
    " yao autonomous county",
    " miao autonomous county",
    " dong autonomous county",
    " miao and dong autonomous county",
    " tujia autonomous county",
)
_EN_SUFFIXES = tuple(sorted(_EN_LISTED, key=len, reverse=True))


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


def viewer_suffixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The suffixes the map page's search strips: ``(chinese, english)``, from the tables above.

    The page (``norm`` in ``static/js/search.js``) gets them from here when it is rendered.
    It keeps a county's ethnic groups (江华瑶族自治县 → 江华瑶族, which 江华 still finds as a
    prefix) and English names of ethnic groups; it strips 湘西土家族苗族自治州 to 湘西. Chinese
    comes in both scripts (the page has no OpenCC), each Traditional form after its Simplified
    one. Changing these changes the page's bytes.
    """
    zh: list[str] = []
    for suf in ADMIN_SUFFIXES:
        if not suf.endswith("族自治县"):
            zh.extend(dict.fromkeys((suf, to_hant(suf))))
    en = [suf.strip() for suf in _EN_LISTED if suf.split()[0] in ("autonomous", suf.strip())]
    return tuple(zh), tuple(en)
