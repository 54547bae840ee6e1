"""Make the CJK font maplayout ships for its print figures: a subset of Noto Sans CJK SC.

Source (pinned): Debian's ``fonts-noto-cjk`` 1:20220127+repack1-1,
``/usr/share/fonts/opentype/noto/NotoSansCJK-{Regular,Bold}.ttc`` (sha256 below), face
"Noto Sans CJK SC" (SIL Open Font License 1.1); Regular for text, Bold for titles. With
fontTools (a matplotlib dependency) the script keeps only the characters maplayout needs,
converts the outlines from CFF to TrueType (quadratic, ``glyf``) so matplotlib embeds them
as Type 42 in PDFs on every supported version, renames the family (a Modified Version under
the OFL) so it never clashes with an installed Noto, and writes into ``maplayout/_fontdata/``:

* ``MaplayoutSansCJK-Regular.ttf`` and ``MaplayoutSansCJK-Bold.ttf`` — the subsets;
* ``OFL.txt`` — the font's copyright notice and the licence text;
* ``manifest.json`` — source, version, hashes, coverage counts.

Coverage: every character of the shipped geodata (names in Simplified, Traditional and
English), of the default plan, of the UI strings (``maplayout/static/ui.json``, the Python
modules and templates), GB2312 level 1 (3,755 characters, from Python's ``gb2312`` codec)
and their Traditional forms (OpenCC ``s2t`` and ``s2tw``, the converter maplayout uses),
Latin (ASCII, Latin-1, Latin Extended-A and the pinyin tone letters), digits, and the
punctuation Chinese text uses (CJK symbols, full-width forms, general punctuation).

Run from the repository root::

    python scripts/make_font.py            # write maplayout/_fontdata/
    python scripts/make_font.py --check    # rebuild in memory and compare byte for byte
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "maplayout" / "_fontdata"
SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
SOURCE_PACKAGE = "fonts-noto-cjk 1:20220127+repack1-1 (Debian)"
#: weight → sha256 of ``NotoSansCJK-<weight>.ttc`` in the pinned package.
SOURCE_SHA256 = {
    "Regular": "b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a",
    "Bold": "faa5f3656a78b2e2d450d27fe8382c778bc2b6bb5ea29c986664a6a435056ceb",
}
SOURCE_FACE = "Noto Sans CJK SC"
LICENCE_SOURCE = Path("/usr/share/doc/fonts-noto-cjk/copyright")
FAMILY = "Maplayout Sans CJK"
#: Maximum distance (font units of 1000/em) between a cubic CFF curve and its quadratic
#: TrueType approximation; 1 unit is 0.01 mm at 10 pt, far below what print shows.
CU2QU_MAX_ERR = 1.0

_RANGES = {  # inclusive code point ranges: Latin, digits and punctuation
    "ascii": (0x20, 0x7E),
    "latin-1": (0xA0, 0xFF),
    "latin-extended-a": (0x100, 0x17F),
    "pinyin": (0x1CD, 0x1DC),
    "general punctuation": (0x2010, 0x203B),
    "arrows": (0x2190, 0x2193),
    "circled numbers": (0x2460, 0x2473),
    "cjk symbols and punctuation": (0x3000, 0x303F),
    "full-width forms": (0xFF01, 0xFF65),
}


def gb2312_level1() -> list[str]:
    """The 3,755 characters of GB2312 level 1 (rows 16-55), from Python's codec."""
    chars = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # row 55 ends at cell 0xF9
    return chars


def project_texts() -> list[str]:
    """Every text maplayout may draw from its own files: geodata, default plan, UI strings."""
    texts = []
    for path in sorted((ROOT / "geodata").rglob("*")):
        if path.suffix in {".geojson", ".json", ".csv", ".yaml"}:
            texts.append(path.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "maplayout").rglob("*")):
        if path.suffix in {".py", ".json", ".j2"} and "_fontdata" not in path.parts:
            texts.append(path.read_text(encoding="utf-8"))
    return texts


def wanted_characters() -> dict[str, set[str]]:
    """The characters to keep, by where they come from."""
    from opencc import OpenCC

    level1 = gb2312_level1()
    if len(level1) != 3755:
        raise SystemExit(f"expected 3755 GB2312 level-1 characters, the codec gave {len(level1)}")
    texts = project_texts()
    hant: set[str] = set()
    for config in ("s2t", "s2tw"):
        cc = OpenCC(config)
        hant |= set(cc.convert("".join(level1)))
        hant |= {c for t in texts for c in cc.convert(t)}  # phrase-level forms too
    groups = {
        "gb2312 level 1": set(level1),
        "traditional forms (opencc)": hant,
        "project texts": {c for t in texts for c in t if c.isprintable()},
    }
    for name, (lo, hi) in _RANGES.items():
        groups[name] = {chr(cp) for cp in range(lo, hi + 1)}
    return groups


def to_truetype(font: object) -> None:
    """Replace the CFF outlines of ``font`` (a fontTools TTFont) by TrueType ``glyf`` ones."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_order = font.getGlyphOrder()  # type: ignore[attr-defined]
    glyph_set = font.getGlyphSet()  # type: ignore[attr-defined]
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, CU2QU_MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    for tag in ("CFF ", "VORG"):
        if tag in font:  # type: ignore[operator]
            del font[tag]  # type: ignore[attr-defined]
    glyf = font["glyf"] = newTable("glyf")  # type: ignore[index]
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    font["loca"] = newTable("loca")  # type: ignore[index]
    maxp = font["maxp"]  # type: ignore[index]
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0  # type: ignore[index]
    post = font["post"]  # type: ignore[index]
    post.formatType = 3.0  # no glyph names: smaller, and matplotlib does not need them
    font.sfntVersion = "\x00\x01\x00\x00"  # type: ignore[attr-defined]


def rename(font: object, version: str, weight: str) -> None:
    """Give the subset its own family name (OFL: a Modified Version), keeping the notices."""
    name = font["name"]  # type: ignore[index]
    keep = {0, 7, 8, 9, 11, 12, 13, 14}  # copyright, trademark, vendor, designer, licence
    name.names = [n for n in name.names if n.nameID in keep]
    fields = {
        1: FAMILY,
        2: weight,
        3: f"{FAMILY} {weight}; subset of {SOURCE_FACE} {version} made by maplayout",
        4: f"{FAMILY} {weight}",
        5: f"Version {version}; subset by maplayout scripts/make_font.py",
        6: FAMILY.replace(" ", "") + f"-{weight}",
    }
    for name_id, text in fields.items():
        name.setName(text, name_id, 3, 1, 0x409)
    font["OS/2"].achVendID = "NONE"  # type: ignore[index]


def subset_face(weight: str, unicodes: list[int]) -> tuple[bytes, dict[str, object], str]:
    """One weight's subset: its bytes, its manifest entry and the source's copyright line."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    source = SOURCE_DIR / f"NotoSansCJK-{weight}.ttc"
    data = source.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if sha != SOURCE_SHA256[weight]:
        raise SystemExit(
            f"{source}: sha256 {sha}, expected {SOURCE_SHA256[weight]} ({SOURCE_PACKAGE})"
        )
    collection = TTCollection(io.BytesIO(data), recalcTimestamp=False)
    faces = [f["name"].getDebugName(1) for f in collection.fonts]
    font = collection.fonts[faces.index(SOURCE_FACE)]
    version = font["name"].getDebugName(5).split(";")[0].replace("Version ", "")
    keep = sorted(set(unicodes) & set(font.getBestCmap()))
    options = subset.Options()
    options.layout_features = []  # matplotlib shapes no text: no GSUB/GPOS needed
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    to_truetype(font)
    rename(font, version, weight)
    buf = io.BytesIO()
    font.save(buf, reorderTables=True)
    out = buf.getvalue()
    entry: dict[str, object] = {
        "file": f"{FAMILY.replace(' ', '')}-{weight}.ttf",
        "weight": weight,
        "bytes": len(out),
        "sha256": hashlib.sha256(out).hexdigest(),
        "characters": len(keep),
        "glyphs": len(font.getGlyphOrder()),
        "source": {
            "face": f"{SOURCE_FACE} {weight}",
            "face_version": version,
            "file": str(source),
            "package": SOURCE_PACKAGE,
            "sha256": sha,
        },
    }
    return out, entry, font["name"].getDebugName(0)


def build_fonts() -> tuple[dict[str, bytes], dict[str, object]]:
    """Every shipped file's bytes (the subsets, the licence) and the manifest."""
    from fontTools import version as ft_version

    groups = wanted_characters()
    unicodes = sorted({ord(c) for g in groups.values() for c in g})
    files: dict[str, bytes] = {}
    faces = []
    copyright_line = ""
    for weight in SOURCE_SHA256:
        data, entry, copyright_line = subset_face(weight, unicodes)
        files[str(entry["file"])] = data
        faces.append(entry)
    manifest: dict[str, object] = {
        "family": FAMILY,
        "faces": faces,
        "characters_wanted_by_source": {g: len(c) for g, c in sorted(groups.items())},
        "outlines": "TrueType (glyf), converted from CFF by fontTools cu2qu, "
        f"max error {CU2QU_MAX_ERR} unit of 1000/em",
        "upstream": "https://github.com/notofonts/noto-cjk",
        "licence": {"name": "SIL Open Font License 1.1", "file": "OFL.txt"},
        "copyright": copyright_line,
        "tool": f"fontTools {ft_version}, scripts/make_font.py",
    }
    files["OFL.txt"] = licence_text(copyright_line).encode("utf-8")
    text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    files["manifest.json"] = text.encode("utf-8")
    return files, manifest


def licence_text(copyright_line: str) -> str:
    """The font's copyright notice followed by the OFL 1.1 text from Debian's copyright file."""
    text = LICENCE_SOURCE.read_text(encoding="utf-8")
    block = text.split("License: SIL-1.1\n", 2)[2].split("\nLicense: ", 1)[0]
    lines = [re.sub(r"^ ", "", line) for line in block.splitlines()]
    body = "\n".join("" if line == "." else line for line in lines).strip("\n")
    return f"{copyright_line}\n\n{body}\n"


def _differs(path: Path, data: bytes) -> bool:
    return not path.is_file() or path.read_bytes() != data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped files")
    args = parser.parse_args(argv)
    files, manifest = build_fonts()
    if args.check:
        bad = [
            n for n, d in files.items() if not (OUT / n).is_file() or (OUT / n).read_bytes() != d
        ]
        for name in bad:
            print(f"differs: maplayout/_fontdata/{name}", file=sys.stderr)
        return 1 if bad else 0
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.ttf"):
        old.unlink()
    for name, data in files.items():
        (OUT / name).write_bytes(data)
    for face in manifest["faces"]:  # type: ignore[union-attr]
        print(f"{face['file']}: {face['characters']} characters, {face['bytes']} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
