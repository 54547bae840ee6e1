"""Names of every unit of China: short forms and English, for ``sources/places-china.csv``.

English is made by rule and then corrected by hand:

* the stem (the name without its ethnic groups and its unit type) in Hanyu Pinyin from
  ``pypinyin`` (extra ``rebuild``), syllables joined, an apostrophe before a syllable that
  starts with a, o or e (Xi'an), ü written as ü (Lüliang);
* the ethnic groups of an autonomous unit from :data:`ETHNIC` (the official English names of
  China's ethnic groups), the unit type from :data:`TYPES`;
* ``sources/places-china-en.csv`` overrides by adcode: established English forms (Inner
  Mongolia, Tibet, Shaanxi, Hong Kong, Macao, Harbin, Urumqi …), romanisations of
  minority-language names of prefectures, and readings pypinyin gets wrong;
* Hunan's rows of ``sources/places.csv`` win over both, so Hunan's names do not change.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ETHNIC", "TYPES", "english", "short_zh", "split_name"]

#: Ethnic groups as they occur in unit names, longest first, with their English names.
ETHNIC: dict[str, str] = {
    "维吾尔": "Uygur", "哈萨克": "Kazak", "柯尔克孜": "Kirgiz", "蒙古": "Mongol",
    "朝鲜": "Korean", "土家": "Tujia", "布依": "Bouyei", "傈僳": "Lisu", "达斡尔": "Daur",
    "鄂温克": "Ewenki", "鄂伦春": "Oroqen", "仡佬": "Gelao", "毛南": "Maonan", "仫佬": "Mulao",
    "拉祜": "Lahu", "纳西": "Naxi", "普米": "Pumi", "独龙": "Derung", "哈尼": "Hani",
    "景颇": "Jingpo", "撒拉": "Salar", "东乡": "Dongxiang", "保安": "Bonan", "裕固": "Yugur",
    "锡伯": "Xibe", "塔吉克": "Tajik", "藏": "Tibetan", "回": "Hui", "苗": "Miao", "彝": "Yi",
    "壮": "Zhuang", "侗": "Dong", "瑶": "Yao", "白": "Bai", "傣": "Dai", "黎": "Li",
    "畲": "She", "满": "Manchu", "土": "Tu", "羌": "Qiang", "佤": "Va", "水": "Shui",
    "怒": "Nu", "布朗": "Blang", "阿昌": "Achang", "德昂": "De'ang", "京": "Gin",
    "各": "",
}  # fmt: skip
#: Unit types (Simplified suffix → English), longest first.
TYPES: tuple[tuple[str, str], ...] = (
    ("特别行政区", "Special Administrative Region"),
    ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("林区", "Forestry District"),
    ("特区", "Special District"),
    ("地区", "Prefecture"),
    ("省", "Province"),
    ("市", "City"),
    ("盟", "League"),
    ("旗", "Banner"),
    ("县", "County"),
    ("区", "District"),
)
_MUNICIPALITIES = ("110000", "120000", "310000", "500000")


def split_name(name: str) -> tuple[str, list[str], str]:
    """``(stem, ethnic groups, unit type suffix)``: 延边朝鲜族自治州 → 延边, [朝鲜], 自治州."""
    suffix = next((s for s, _ in TYPES if name.endswith(s) and len(name) > len(s)), "")
    rest = name[: len(name) - len(suffix)]
    groups: list[str] = []
    if suffix.startswith("自治"):
        keys = sorted(ETHNIC, key=len, reverse=True)
        while True:
            trimmed = rest.removesuffix("族")
            # the stem keeps two characters at least: 陵水黎族 is 陵水 + 黎, not 陵 + 水 + 黎
            hit = next(
                (k for k in keys if trimmed.endswith(k) and len(trimmed) - len(k) >= 2), None
            )
            if hit is None:
                break
            groups.insert(0, hit)
            rest = trimmed[: -len(hit)]
    return rest, groups, suffix


def short_zh(name: str, level: str) -> str:
    """The short form: the stem, 州 kept for autonomous prefectures (湘西州); a one-character
    stem keeps its suffix (忠县)."""
    stem, _, suffix = split_name(name)
    if suffix == "自治州":
        return stem + "州"
    if len(stem) < 2 or not suffix:
        return name
    return stem


#: Place-name readings pypinyin gets wrong (checked by hand), by stem.
_READINGS: dict[str, str] = {
    "朝阳": "Chaoyang",
    "长治": "Changzhi",
    "单": "Shan",
    "洪洞": "Hongtong",
    "长子": "Zhangzi",
    "蚌埠": "Bengbu",
    "蚌山": "Bengshan",
    "六安": "Lu'an",
    "六合": "Luhe",
    "番禺": "Panyu",
    "丽水": "Lishui",
}
#: A first character read one way in place names (长沙, 长春, 长白), unless in _READINGS.
_FIRST: dict[str, str] = {"长": "chang"}


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    if text in _READINGS:
        return _READINGS[text]
    out = ""
    syllables = lazy_pinyin(text, v_to_u=True)
    if text[:1] in _FIRST:
        syllables[0] = _FIRST[text[0]]
    for syl in syllables:
        if out and syl[:1] in ("a", "o", "e"):
            out += "'"
        out += syl
    return out[:1].upper() + out[1:]


def english(adcode: str, name: str, level: str) -> tuple[str, str]:
    """``(name_en, short_en)`` by rule (see the module docstring)."""
    stem, groups, suffix = split_name(name)
    type_en = "Municipality" if adcode in _MUNICIPALITIES else dict(TYPES).get(suffix, "")
    short = _pinyin(stem if len(stem) >= 2 or not suffix else name)
    ethnic = [ETHNIC[g] for g in groups if ETHNIC[g]]
    if len(ethnic) > 1:
        ethnic = [", ".join(ethnic[:-1]) + " and " + ethnic[-1]]
    return " ".join(w for w in (_pinyin(stem), *ethnic, type_en) if w), short


def rows(units: list[tuple[str, str, str, str]], overrides: dict[str, dict[str, Any]]) -> list:
    """Rows of ``places-china.csv`` for ``(adcode, level, parent, name)`` units."""
    out = []
    for adcode, level, parent, name in units:
        name_en, short_en = english(adcode, name, level)
        fix = overrides.get(adcode, {})
        out.append(
            {
                "adcode": adcode,
                "level": level,
                "parent_adcode": parent,
                "name_zh_hans": name,
                "short_zh_hans": fix.get("short_zh_hans") or short_zh(name, level),
                "name_en": fix.get("name_en") or name_en,
                "short_en": fix.get("short_en") or short_en,
                "en_source": "hand" if fix.get("name_en") else "pinyin",
            }
        )
    return out
