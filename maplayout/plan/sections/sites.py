"""The ``sites`` section: named points with their datum, precision and host unit."""

from __future__ import annotations

from typing import Any, NamedTuple

from maplayout.geo.names import to_hant
from maplayout.plan.fields import Checker, short_repr
from maplayout.plan.places import check_site
from maplayout.plan.sections.context import SectionContext, complete
from maplayout.plan.types import CONFIDENCES, PRECISIONS, Site, Text

SITE_KEYS = (
    "id",
    "name",
    "kind",
    "host",
    "lon",
    "lat",
    "datum",
    "precision",
    "radius_m",
    "confidence",
    "identity_uncertain",
    "precision_note",
    "location_source",
    "description",
    "interpretation",
    "source",
)
_REQUIRED = ("id", "name", "kind", "host", "lon", "lat", "datum", "precision", "radius_m")
DATUMS = ("WGS-84", "GCJ-02", "BD-09")
MAX_RADIUS_M = 100_000.0


class _Position(NamedTuple):
    """A site's point as the plan gives it."""

    lon: float
    lat: float
    datum: str


def read_sites(value: Any, ctx: SectionContext) -> list[Site]:
    """The ``sites`` section; positions are converted to WGS-84 and checked against the map."""
    entries = ctx.entries(value, "sites", SITE_KEYS, _REQUIRED)
    return [site for path, entry in entries if (site := _site(entry, path, ctx)) is not None]


def _site(entry: dict[str, Any], path: str, ctx: SectionContext) -> Site | None:
    """One site, or ``None`` after its problems are reported (every field is checked)."""
    from maplayout.geo.datum import convert

    checker = ctx.checker
    site_id = ctx.item_id(entry, path)
    name = checker.text(entry["name"], f"{path}.name") if "name" in entry else None
    kind = None
    if "kind" in entry:
        kind = checker.choice(entry["kind"], f"{path}.kind", ctx.kind_ids, "site kind")
    host = ctx.place(entry["host"], f"{path}.host") if "host" in entry else None
    position = _position(entry, path, checker)
    accuracy = _accuracy(entry, path, checker)
    notes = _notes(entry, path, checker)
    fields = {"id": site_id, "name": name, "kind": kind, "source_refs": ctx.refs(entry, path)}
    checked = complete(fields, accuracy, notes)
    if checked is None or host is None or position is None:
        return None
    lon, lat = convert(position.lon, position.lat, position.datum, "WGS-84")
    site = Site(
        **checked,
        host=str(entry["host"]),
        host_adcode=host.adcode,
        lon=round(lon, 7),
        lat=round(lat, 7),
        datum=position.datum,
        given_lon=position.lon,
        given_lat=position.lat,
    )
    if ctx.region is None or not check_site(site, path, ctx.region, host, checker):
        return None
    return site


def _position(entry: dict[str, Any], path: str, checker: Checker) -> _Position | None:
    """``lon``, ``lat`` (a latitude beyond ±90 next to a longitude within is "swapped") and
    ``datum``."""
    lon = None
    if "lon" in entry:
        lon = checker.number(entry["lon"], f"{path}.lon", lo=-180.0, hi=180.0)
    lat = None
    if "lat" in entry:
        raw_lat = entry["lat"]
        swapped = (
            isinstance(raw_lat, (int, float))
            and not isinstance(raw_lat, bool)
            and abs(raw_lat) > 90
            and isinstance(lon, (int, float))
            and abs(lon) <= 90
        )
        if swapped:
            checker.error(
                f"{path}.lat",
                f"latitude out of range: {raw_lat!r} (lon and lat look swapped)",
                value=raw_lat,
                expected="lon: longitude (-180 to 180), lat: latitude (-90 to 90)",
            )
        else:
            lat = checker.number(raw_lat, f"{path}.lat", lo=-90.0, hi=90.0)
    datum = read_datum(entry["datum"], f"{path}.datum", checker) if "datum" in entry else None
    if lon is None or lat is None or datum is None:
        return None
    return _Position(float(lon), float(lat), datum)


def read_datum(value: object, path: str, checker: Checker) -> str | None:
    """The datum as the plan format spells it (``WGS-84``, ``GCJ-02``, ``BD-09``)."""
    from maplayout.geo.datum import normalise_datum

    try:
        key = normalise_datum(str(value))
    except ValueError:
        checker.not_one_of(path, f"unknown datum {short_repr(value)}", value, DATUMS)
        return None
    return {"WGS84": "WGS-84", "GCJ02": "GCJ-02", "BD09": "BD-09"}[key]


def _accuracy(entry: dict[str, Any], path: str, checker: Checker) -> dict[str, Any] | None:
    """``precision`` with its ``radius_m`` (> 0 unless surveyed), ``confidence`` and
    ``identity_uncertain``, as the site's fields of those names."""
    precision = None
    if "precision" in entry:
        precision = checker.choice(entry["precision"], f"{path}.precision", PRECISIONS, "precision")
    radius = None
    if "radius_m" in entry:
        radius = checker.number(entry["radius_m"], f"{path}.radius_m", lo=0.0, hi=MAX_RADIUS_M)
    if precision is not None and radius is not None and precision != "surveyed" and radius == 0:
        checker.error(
            f"{path}.radius_m",
            f"radius_m is 0 for a {precision} site",
            value=radius,
            expected="the uncertainty radius in metres (> 0), or precision: surveyed",
        )
        radius = None
    confidence = checker.choice(
        entry.get("confidence", "medium"), f"{path}.confidence", CONFIDENCES, "confidence"
    )
    uncertain = checker.boolean(
        entry.get("identity_uncertain", False), f"{path}.identity_uncertain"
    )
    return complete(
        {
            "precision": precision,
            "radius_m": None if radius is None else float(radius),
            "confidence": confidence,
            "identity_uncertain": uncertain,
        }
    )


def _notes(entry: dict[str, Any], path: str, checker: Checker) -> dict[str, Any] | None:
    """The site's texts: ``precision_note``, ``location_source``, ``description``,
    ``interpretation``."""
    location = entry.get("location_source", "")
    return complete(
        {
            "precision_note": checker.text(
                entry.get("precision_note"), f"{path}.precision_note", required=False
            ),
            "location_source": _location_source(location, f"{path}.location_source", checker),
            "description": checker.text(
                entry.get("description"), f"{path}.description", required=False
            ),
            "interpretation": checker.text(
                entry.get("interpretation"), f"{path}.interpretation", required=False
            ),
        }
    )


def _location_source(value: Any, path: str, checker: Checker) -> Text | None:
    """``location_source``: a multilingual text, or (older plans) one plain string.

    A plain string is used in every language (converted to traditional characters for
    ``zh-Hant``); an empty string means "not stated".
    """
    if isinstance(value, dict):
        return checker.text(value, path)
    text = checker.string(value, path, allow_empty=True)
    return None if text is None else Text(text, to_hant(text), text)
