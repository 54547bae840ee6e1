"""Reading a data layer's table file: CSV, Excel ``.xlsx``, (Geo)Parquet, GeoJSON.

The bytes come from :func:`maplayout._safeio.read_limited` (regular files only, at most
:data:`MAX_LAYER_BYTES`); a table has at most :data:`MAX_LAYER_ROWS` data rows, checked before
the rows are built (Parquet's footer, GeoJSON's feature list) or while they are read (CSV,
Excel). Every cell stays as written (strings, or the numbers Excel and Parquet store); the
row checks of :mod:`maplayout.plan.layers` turn them into points.

Row numbers are the ones a user finds the row by: the line of a CSV file, the row of an Excel
sheet (header = row 1 in both), the record number (1, 2, …) of Parquet and GeoJSON.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from maplayout.errors import DependencyMissingError, closest

#: Largest layer file read (bytes): a 20,000-row CSV of companies is about 1 MB.
MAX_LAYER_BYTES = 64_000_000
#: Most data rows of one layer (page and figure draw layers as clusters and counts).
MAX_LAYER_ROWS = 200_000


class TableError(ValueError):
    """A table file cannot be read; ``line`` is its row/line when one is known."""

    def __init__(self, message: str, line: int | None = None, expected: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.expected = expected


@dataclass
class Table:
    """A table's cells (``object`` columns, as written) and each row's number in the file."""

    frame: pd.DataFrame
    rows: np.ndarray  # int, the row numbers users see


def read_table(raw: bytes, name: str, *, sheet: str = "", encoding: str = "") -> Table:
    """The table in ``raw`` (the file ``name``'s bytes; its suffix picks the reader).

    Raises
    ------
    TableError
        Undecodable text, a malformed file, an unknown sheet, too many rows.
    DependencyMissingError
        ``.xlsx`` without openpyxl, Parquet without pyarrow (``pip install maplayout[tables]``).
    """
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".csv":
        return _csv(raw, encoding)
    if suffix == ".xlsx":
        return _xlsx(raw, sheet)
    if suffix in (".parquet", ".geoparquet"):
        return _parquet(raw)
    return _geojson(raw)


def _too_many(count: int | str) -> TableError:
    return TableError(
        f"table has {count} data rows", expected=f"at most {MAX_LAYER_ROWS} rows per layer"
    )


def decode_csv(raw: bytes, encoding: str = "") -> str:
    """CSV text: a BOM decides (UTF-8, UTF-16 as Excel writes them), else ``encoding``, else
    UTF-8, else GB18030 (a superset of GBK, what Excel on a Chinese Windows writes)."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")):
        if raw.startswith(bom):
            return _decode(raw[len(bom) :], codec, len(bom))
    if raw.startswith(codecs.BOM_UTF16_BE):
        return _decode(raw[2:], "utf-16-be", 2)
    if encoding:
        return _decode(raw, encoding, 0)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _decode(raw, "gb18030", 0)


def _decode(raw: bytes, codec: str, skip: int) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise TableError(
            f"cannot decode byte {err.start + skip} as {codec}",
            line=line,
            expected="a CSV in UTF-8, GBK or GB18030 (encoding: names it)",
        ) from None


def _csv(raw: bytes, encoding: str) -> Table:
    text = decode_csv(raw, encoding)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if not header:
            raise TableError("empty table", expected="a header row and data rows")
        rows: list[list[str]] = []
        lines: list[int] = []
        start = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                if len(rows) == MAX_LAYER_ROWS:
                    raise _too_many(f"more than {MAX_LAYER_ROWS}")
                if len(record) > len(header):
                    raise TableError(
                        f"{len(record)} fields, the header has {len(header)}",
                        line=start,
                        expected="one field per header column (quote a field holding "
                        f"{delimiter!r})",
                    )
                rows.append(record + [""] * (len(header) - len(record)))
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as err:
        raise TableError(f"malformed CSV: {err}", line=reader.line_num) from None
    return Table(_frame(header, rows), np.asarray(lines, dtype=int))


def _frame(header: list[Any], rows: list[list[Any]]) -> pd.DataFrame:
    names = [str(cell).strip() if cell is not None else "" for cell in header]
    seen = [name for index, name in enumerate(names) if name and name in names[:index]]
    if seen:
        raise TableError(f"duplicate column {seen[0]!r}", line=1, expected="unique column names")
    return pd.DataFrame(rows, columns=names, dtype=object)


def _xlsx(raw: bytes, sheet: str) -> Table:
    try:
        import openpyxl
    except ImportError:
        raise DependencyMissingError(
            "reading .xlsx layers needs openpyxl: pip install 'maplayout[tables]'",
            missing="openpyxl",
        ) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as err:  # zipfile.BadZipFile, KeyError, ValueError … from a bad file
        raise TableError(f"not a readable .xlsx workbook ({type(err).__name__})") from None
    if sheet and sheet not in book.sheetnames:
        raise TableError(
            f"no sheet {sheet!r}",
            expected="one of the sheets " + ", ".join(book.sheetnames),
        )
    ws = book[sheet] if sheet else book.worksheets[0]
    header: list[Any] | None = None
    rows: list[list[Any]] = []
    lines: list[int] = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if all(value is None or str(value).strip() == "" for value in values):
            continue
        if header is None:
            header = list(values)
            continue
        if len(rows) == MAX_LAYER_ROWS:
            raise _too_many(f"more than {MAX_LAYER_ROWS}")
        cells = ["" if value is None else value for value in values]
        rows.append(cells[: len(header)] + [""] * (len(header) - len(cells)))
        lines.append(number)
    book.close()
    if header is None:
        raise TableError("empty sheet", expected="a header row and data rows")
    return Table(_frame(header, rows), np.asarray(lines, dtype=int))


def _parquet(raw: bytes) -> Table:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DependencyMissingError(
            "reading Parquet layers needs pyarrow: pip install 'maplayout[tables]'",
            missing="pyarrow",
        ) from None
    try:
        parquet = pq.ParquetFile(io.BytesIO(raw))
        if parquet.metadata.num_rows > MAX_LAYER_ROWS:
            raise _too_many(parquet.metadata.num_rows)
        frame = parquet.read().to_pandas()
    except TableError:
        raise
    except Exception as err:  # pyarrow.ArrowInvalid, OSError … from a bad file
        raise TableError(f"not a readable Parquet file ({type(err).__name__})") from None
    geo = (parquet.schema_arrow.metadata or {}).get(b"geo")
    if geo is not None:
        column = json.loads(geo).get("primary_column", "geometry")
        frame = _with_xy(frame.drop(columns=[column]), _wkb_xy(frame[column]))
    frame.columns = [str(name) for name in frame.columns]
    return Table(frame.astype(object), np.arange(1, len(frame) + 1))


def _wkb_xy(values: pd.Series) -> tuple[list[Any], list[Any]]:
    import shapely

    geoms = shapely.from_wkb(np.asarray(values, dtype=object))
    return _point_xy(list(geoms))


def _point_xy(geoms: list[Any]) -> tuple[list[Any], list[Any]]:
    """x and y of point geometries; ``""`` for a missing or non-point geometry."""
    xs: list[Any] = []
    ys: list[Any] = []
    for geom in geoms:
        point = geom is not None and geom.geom_type == "Point" and not geom.is_empty
        xs.append(geom.x if point else "")
        ys.append(geom.y if point else "")
    return xs, ys


def _with_xy(frame: pd.DataFrame, xy: tuple[list[Any], list[Any]]) -> pd.DataFrame:
    """``frame`` with the geometry's x/y as columns ``lon``/``lat`` (unless it has those)."""
    out = frame.copy()
    for column, values in zip(("lon", "lat"), xy, strict=True):
        if column not in out.columns:
            out[column] = values
    return out


def _geojson(raw: bytes) -> Table:
    try:
        data = json.loads(decode_csv(raw))
    except json.JSONDecodeError as err:
        raise TableError(f"not valid JSON: {err.msg}", line=err.lineno) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise TableError("not a GeoJSON FeatureCollection", expected='{"features": [...]}')
    if len(features) > MAX_LAYER_ROWS:
        raise _too_many(len(features))
    props = [f.get("properties") or {} if isinstance(f, dict) else {} for f in features]
    frame = pd.DataFrame.from_records(props).astype(object) if props else pd.DataFrame()
    frame.columns = [str(name) for name in frame.columns]
    coords = [_coords(f) for f in features]
    xy = ([c[0] for c in coords], [c[1] for c in coords])
    return Table(_with_xy(frame.fillna(""), xy), np.arange(1, len(features) + 1))


def _coords(feature: Any) -> tuple[Any, Any]:
    geom = feature.get("geometry") if isinstance(feature, dict) else None
    if isinstance(geom, dict) and geom.get("type") == "Point":
        xy = geom.get("coordinates")
        if isinstance(xy, list) and len(xy) >= 2:
            return xy[0], xy[1]
    return "", ""


def guess_column(columns: list[str], names: tuple[str, ...]) -> str:
    """The first column whose folded name is one of ``names`` (``""`` if none)."""
    folded = {column.strip().lower(): column for column in columns}
    for name in names:
        if name in folded:
            return folded[name]
    return ""


def near_columns(query: str, columns: list[str]) -> list[str]:
    """The table's columns closest to ``query`` (for a wrong column name)."""
    return closest(query, [column for column in columns if column])
