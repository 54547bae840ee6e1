"""A plan's data layers: read each table file next to the plan and check every row.

Problems of the entry (a missing file, a column the table lacks) name the plan file and the
entry's line; problems of the rows name the table file, the row and the column
(``companies.csv:17: 经度: not a number: 'abc'; expected a longitude …``), all of them, in the
plan problems' one-line style. A point outside the plan region is a warning: it is kept and
counted as outside every unit.

The rows of a valid layer become ``layer.points``: a DataFrame with the columns
:data:`POINT_COLUMNS`, in file order, positions converted to WGS-84 (vectorised).
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from maplayout._safeio import InputFileError, read_limited
from maplayout.errors import DependencyMissingError, PlanProblem
from maplayout.plan.fields import MAX_TEXT, short_repr
from maplayout.plan.tables import (
    MAX_LAYER_BYTES,
    Table,
    TableError,
    guess_column,
    near_columns,
    read_table,
)
from maplayout.plan.types import Layer, Plan

__all__ = ["GUESSES", "POINT_COLUMNS", "read_layer_files"]

#: Column names tried, in order, when a layer does not name its columns (case-folded).
GUESSES = {
    "lon": ("lon", "lng", "long", "longitude", "x", "经度", "經度"),
    "lat": ("lat", "latitude", "y", "纬度", "緯度"),
    "name": ("name", "名称", "名稱", "企业名称", "企業名稱", "公司名称", "公司名稱", "title"),
}
#: The columns of ``layer.points``.
POINT_COLUMNS = (
    "row",
    "name",
    "category",
    "weight",
    "link",
    "lon",
    "lat",
    "given_lon",
    "given_lat",
)


def read_layer_files(plan: Plan, base: Path, plan_file: str) -> tuple[Plan, list[PlanProblem]]:
    """``plan`` with every layer's points read from the files in ``base``, and the problems.

    A layer with an error keeps ``points=None``; the caller treats any error as an invalid
    plan.
    """
    layers: list[Layer] = []
    problems: list[PlanProblem] = []
    for index, layer in enumerate(plan.layers):
        found, layer_problems = _read_layer(layer, index, base, plan_file, plan)
        layers.append(found)
        problems += layer_problems
    return dataclasses.replace(plan, layers=tuple(layers)), problems


def _read_layer(
    layer: Layer, index: int, base: Path, plan_file: str, plan: Plan
) -> tuple[Layer, list[PlanProblem]]:
    path = base / layer.file
    shown = str(path)
    where = f"layers[{index}]"

    def entry_problem(field: str, message: str, **kw: Any) -> PlanProblem:
        return PlanProblem(plan_file, f"{where}.{field}", message, line=layer.line, **kw)

    try:
        raw = read_limited(path, MAX_LAYER_BYTES, "layer file")
    except InputFileError as err:
        expected = f"a table file of at most {MAX_LAYER_BYTES} bytes next to the plan"
        return layer, [entry_problem("file", f"{err.reason}: {shown}", expected=expected)]
    try:
        table = read_table(raw, layer.file, sheet=layer.sheet, encoding=layer.encoding)
    except TableError as err:
        problem = PlanProblem(shown, "<table>", str(err), line=err.line, expected=err.expected)
        return layer, [problem]
    except DependencyMissingError as err:
        return layer, [entry_problem("file", str(err))]
    columns, problems = _columns(layer, table, lambda f, m, **kw: entry_problem(f, m, **kw))
    if columns is None:
        return layer, problems
    points, row_problems = check_rows(table, columns, layer.datum, shown)
    if any(problem.is_error for problem in row_problems):
        return layer, row_problems
    row_problems += _outside(points, columns["lon"], shown, plan)
    digest = hashlib.sha256(raw).hexdigest()
    return dataclasses.replace(layer, points=points, digest=digest), row_problems


def _columns(layer: Layer, table: Table, problem: Any) -> tuple[dict[str, str] | None, list]:
    """The table column of each role (lon, lat, name, category, weight, link)."""
    names = [str(column) for column in table.frame.columns]
    found: dict[str, str] = {}
    problems: list[PlanProblem] = []
    for role in ("lon", "lat", "name", "category", "weight", "link"):
        given = getattr(layer, role)
        if given and given not in names:
            problems.append(
                problem(
                    role,
                    f"the table has no column {given!r}",
                    value=given,
                    expected="one of the columns " + ", ".join(names),
                    suggestions=near_columns(given, names),
                )
            )
        elif given or role in GUESSES:
            found[role] = given or guess_column(names, GUESSES[role])
            if not found[role]:
                problems.append(
                    problem(
                        role,
                        f"no {role} column found (tried {', '.join(GUESSES[role])})",
                        expected=f"{role}: the column's name, one of " + ", ".join(names),
                    )
                )
    return (None if problems else found), problems


class _Rows:
    """The cells of one table and the problems found in them (``file:row: column: …``)."""

    def __init__(self, table: Table, columns: dict[str, str], shown: str) -> None:
        self.frame, self.rows, self.columns, self.shown = table.frame, table.rows, columns, shown
        self.problems: list[PlanProblem] = []

    def cells(self, role: str) -> pd.Series:
        if role not in self.columns:
            return pd.Series([""] * len(self.frame), dtype=object)
        return self.frame[self.columns[role]].map(_cell)

    def report(self, mask: Any, role: str, message: Any, expected: str) -> None:
        column = self.columns[role]
        for i in np.flatnonzero(np.asarray(mask)):
            value = self.frame[column].iloc[i]
            self.problems.append(
                PlanProblem(
                    self.shown,
                    column,
                    message(value),
                    line=int(self.rows[i]),
                    value=value,
                    expected=expected,
                )
            )


def check_rows(
    table: Table, columns: dict[str, str], datum: str, shown: str
) -> tuple[pd.DataFrame, list[PlanProblem]]:
    """The points of ``table`` and every row-level problem (vectorised checks)."""
    from maplayout.geo.datum import convert

    rows = _Rows(table, columns, shown)
    lon, lat, ok = _positions(rows)
    names = rows.cells("name")
    rows.report(names == "", "name", lambda v: "empty name", "the row's name")
    too_long = names.str.len() > MAX_TEXT
    rows.report(too_long, "name", lambda v: f"name too long: {short_repr(v)}", f"≤ {MAX_TEXT}")
    weight = np.zeros(len(names))
    if "weight" in columns:
        cells = rows.cells("weight")
        weight, bad = _numbers(cells.where(cells != "", "0"))
        rows.report(bad, "weight", _not_number, "a number (an empty cell counts as 0)")
    links = rows.cells("link")
    if "link" in columns:
        bad_link = (links != "") & ~links.str.match(r"^https?://\S+$")
        message = "an http(s) URL or an empty cell"
        rows.report(bad_link, "link", lambda v: f"bad link {short_repr(v)}", message)
    wlon, wlat = convert(np.where(ok, lon, 0.0), np.where(ok, lat, 0.0), datum, "WGS-84")
    points = pd.DataFrame(
        {
            "row": table.rows.astype(int),
            "name": names.to_numpy(dtype=object),
            "category": rows.cells("category").to_numpy(dtype=object),
            "weight": np.asarray(weight, dtype=float),
            "link": links.to_numpy(dtype=object),
            "lon": np.round(np.asarray(wlon, dtype=float), 7),
            "lat": np.round(np.asarray(wlat, dtype=float), 7),
            "given_lon": lon,
            "given_lat": lat,
        },
        columns=list(POINT_COLUMNS),
    )
    return points, sorted(rows.problems, key=lambda problem: problem.line or 0)


def _positions(rows: _Rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Longitudes, latitudes and where both are usable; the problems of the others."""
    lon, lon_bad = _numbers(rows.cells("lon"))
    lat, lat_bad = _numbers(rows.cells("lat"))
    rows.report(lon_bad, "lon", _not_number, "a longitude from -180 to 180")
    rows.report(lat_bad, "lat", _not_number, "a latitude from -90 to 90")
    swapped = ~lon_bad & ~lat_bad & (np.abs(lat) > 90) & (np.abs(lon) <= 90)
    rows.report(
        swapped,
        "lat",
        lambda v: f"latitude out of range: {v!r} (lon and lat look swapped)",
        "lon: longitude (-180 to 180), lat: latitude (-90 to 90)",
    )
    lon_out = ~lon_bad & (np.abs(lon) > 180)
    lat_out = ~lat_bad & ~swapped & (np.abs(lat) > 90)
    rows.report(lon_out, "lon", lambda v: f"longitude out of range: {v!r}", "-180 to 180")
    rows.report(lat_out, "lat", lambda v: f"latitude out of range: {v!r}", "-90 to 90")
    return lon, lat, ~(lon_bad | lat_bad | swapped | lon_out | lat_out)


def _outside(points: pd.DataFrame, column: str, shown: str, plan: Plan) -> list[PlanProblem]:
    """A warning for each point outside the plan region (vectorised point-in-polygon)."""
    import shapely

    from maplayout.plan.region import region_geometry

    outline = region_geometry(plan.region_adcodes or (plan.region_adcode,))
    if outline is None:
        return []
    inside = shapely.contains_xy(outline, points["lon"], points["lat"])
    name = plan.region_name or plan.region
    return [
        PlanProblem(
            shown,
            column,
            f"point ({row.given_lon:g}, {row.given_lat:g}) lies outside the plan region "
            f"{name}; it is counted as outside every unit",
            line=int(row.row),
            severity="warning",
        )
        for row in points.loc[~inside].itertuples()
    ]


def _cell(value: Any) -> str:
    return (
        ""
        if value is None or (isinstance(value, float) and np.isnan(value))
        else str(value).strip()
    )


def _numbers(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The cells as floats, and where a cell is empty, not a number or not finite."""
    text = cells.map(_cell)
    values = pd.to_numeric(text.where(text != "", None), errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    return np.where(bad, 0.0, values), bad


def _not_number(value: Any) -> str:
    text = _cell(value)
    return "empty cell" if not text else f"not a number: {short_repr(value)}"
