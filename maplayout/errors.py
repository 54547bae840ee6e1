"""The small error hierarchy of maplayout.

Every error a user can cause (a bad plan, an unknown place, a missing data file) is a
:class:`MaplayoutError`. The command line prints ``str(err)`` as one line and exits with
``err.exit_code``; it never shows a traceback for these.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
    "SEVERITIES",
    "BuildError",
    "DependencyMissingError",
    "GeodataError",
    "LevelError",
    "MaplayoutError",
    "PlaceNotFoundError",
    "PlanError",
    "PlanProblem",
    "closest",
]


class MaplayoutError(Exception):
    """Base class for every error caused by input, data or the environment."""

    exit_code = 1


class GeodataError(MaplayoutError):
    """Shipped or rebuilt boundary data is missing, corrupted or does not match its manifest."""


class PlaceNotFoundError(MaplayoutError, LookupError):
    """A place name or adcode matched no administrative unit."""

    def __init__(
        self, query: object, suggestions: Sequence[str] = (), message: str | None = None
    ) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        hint = f"; closest: {', '.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(message if message is not None else f"unknown place {query!r}{hint}")


#: Severities of a :class:`PlanProblem`: an error makes the plan invalid, a warning does not.
SEVERITIES: tuple[str, ...] = ("error", "warning")


class PlanProblem:
    """One problem found in a plan file: where it is, what is wrong, what would be right.

    ``severity`` is ``"error"`` (the plan is invalid) or ``"warning"`` (the plan is usable; the
    user should look: ``str()`` then reads ``file:line: path: warning: message``).
    """

    __slots__ = (
        "expected",
        "file",
        "line",
        "message",
        "path",
        "severity",
        "suggestions",
        "value",
    )

    def __init__(
        self,
        file: str,
        path: str,
        message: str,
        *,
        line: int | None = None,
        value: object = None,
        expected: str | None = None,
        suggestions: Sequence[str] = (),
        severity: str = "error",
    ) -> None:
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, not {severity!r}")
        self.severity = severity
        self.file = file
        self.line = line
        self.path = path
        self.message = message
        self.value = value
        self.expected = expected
        self.suggestions = list(suggestions)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        tag = "warning: " if self.severity == "warning" else ""
        text = f"{where}: {self.path or '<plan>'}: {tag}{self.message}"
        if self.expected:
            text += f"; expected {self.expected}"
        if self.suggestions:
            text += f"; closest: {', '.join(self.suggestions)}"
        return text

    @property
    def is_error(self) -> bool:
        """``True`` for an error, ``False`` for a warning."""
        return self.severity == "error"

    def __repr__(self) -> str:
        return f"PlanProblem({str(self)!r})"


class PlanError(MaplayoutError):
    """A layout plan is invalid. Carries every error found, not only the first.

    ``problems`` holds the errors (file order); ``warnings`` the warnings of the same plan
    (given separately, so that ``problems`` keeps meaning "what makes the plan invalid").
    """

    exit_code = 2

    def __init__(self, problems: Iterable[PlanProblem]) -> None:
        found = list(problems)
        self.problems = [p for p in found if p.is_error]
        self.warnings = [p for p in found if not p.is_error]
        n = len(self.problems)
        head = str(self.problems[0]) if self.problems else "invalid plan"
        more = f" (and {n - 1} more problem{'s' if n > 2 else ''})" if n > 1 else ""
        super().__init__(head + more)


class BuildError(MaplayoutError):
    """A build could not be completed; previous outputs were left untouched."""


class LevelError(MaplayoutError, ValueError):
    """A model asked for at a level the plan has no map at (a prefecture map of a city)."""


class DependencyMissingError(MaplayoutError):
    """An optional dependency (a font, a browser, a package) is not installed.

    ``missing`` names what is missing for callers that record it (``"chromium"``,
    ``"chromium-start"``; ``""`` when unspecified).
    """

    def __init__(self, message: str, *, missing: str = "") -> None:
        super().__init__(message)
        self.missing = missing


def closest(query: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` choices closest to ``query`` (difflib ratio, then substring)."""
    import difflib

    pool = sorted(set(choices))
    found = difflib.get_close_matches(query, pool, n=max(3 * n, 10), cutoff=0.45)
    # Among similar scores a shared first character matters most to a reader (株州 → 株洲,
    # not 靖州): a stable sort keeps difflib's order otherwise.
    q0 = query[:1].lower()
    found.sort(
        key=lambda c: (
            -round(difflib.SequenceMatcher(None, query, c).ratio(), 2)
            - (0.1 if q0 and c[:1].lower() == q0 else 0.0)
        )
    )
    found = found[:n]
    if len(found) < n:
        q = query.lower()
        for c in pool:
            if c not in found and (q and (q in c.lower() or c.lower() in q)):
                found.append(c)
            if len(found) >= n:
                break
    return found[:n]
