"""Serial sequences: a code, a format, an optional company and the gap-free flag.

A sequence is found by (code, company); company None is a value of its own, so "SN" with no
company and "SN" for company "2" are two sequences. Every function works through the caller's
DB-API cursor (psycopg2 or Odoo's env.cr) and never commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import StoreError
from .formats import parse_format

_COLUMNS = "id, code, name, format, company, gap_free"
_EDITABLE = {"name", "format", "gap_free"}


@dataclass(frozen=True)
class Sequence:
    """One row of serial_sequence."""

    id: int
    code: str
    name: str | None
    format: str
    company: str | None
    gap_free: bool

    @property
    def label(self) -> str:
        """The code, with its company when it has one: for messages."""
        return self.code if self.company is None else f"{self.code} (company {self.company})"


def _company(company):
    """Companies are stored as text: an Odoo res.company id and a code both fit."""
    if company is None or company == "":
        return None
    return str(company)


def _check_code(code):
    if not isinstance(code, str) or not code.strip() or code != code.strip():
        raise StoreError(f"sequence code {code!r} must be non-empty text without outer spaces")


def _describe(code, company):
    return repr(code) if company is None else f"{code!r} of company {company!r}"


def create_sequence(cur, code, fmt, *, name=None, company=None, gap_free=False) -> Sequence:
    """Create a sequence; StoreError if (code, company) exists, FormatError if fmt is invalid."""
    _check_code(code)
    parse_format(fmt)
    company = _company(company)
    cur.execute(
        f"""
        INSERT INTO serial_sequence (code, name, format, company, gap_free)
        VALUES (%s, %s, %s, %s, %s)
        ON CONFLICT (code, coalesce(company, '')) DO NOTHING
        RETURNING {_COLUMNS}
        """,
        (code, name, fmt, company, bool(gap_free)),
    )
    row = cur.fetchone()
    if row is None:
        raise StoreError(f"sequence {_describe(code, company)} already exists")
    return Sequence(*row)


def get_sequence(cur, code, *, company=None, for_update=False) -> Sequence:
    """The sequence (code, company); StoreError naming it when there is none."""
    company = _company(company)
    lock = " FOR UPDATE" if for_update else ""
    cur.execute(
        f"""
        SELECT {_COLUMNS} FROM serial_sequence
        WHERE code = %s AND coalesce(company, '') = coalesce(%s, ''){lock}
        """,
        (code, company),
    )
    row = cur.fetchone()
    if row is None:
        raise StoreError(f"unknown sequence {_describe(code, company)}")
    return Sequence(*row)


def list_sequences(cur, codes=None) -> list[Sequence]:
    """Every sequence, or those with one of ``codes``, by code then company."""
    where, params = ("", ()) if codes is None else ("WHERE code = ANY(%s)", (list(codes),))
    cur.execute(f"SELECT {_COLUMNS} FROM serial_sequence {where} ORDER BY code, coalesce(company, '')", params)
    return [Sequence(*row) for row in cur.fetchall()]


def update_sequence(cur, code, *, company=None, **changes) -> Sequence:
    """Change name, format and/or gap_free. Counters are kept: a format whose series keys stay
    the same (say, only DIGITS changed) continues its numbering.

    Switching gap_free moves every counter of the sequence to the other numbering mechanism
    (see serial_core.counters), continuing from the last number issued.
    """
    from . import counters  # counters needs Sequence; imported here to keep the modules acyclic

    unknown = set(changes) - _EDITABLE
    if unknown:
        raise StoreError(f"cannot change {', '.join(sorted(unknown))} of a sequence")
    sequence = get_sequence(cur, code, company=company, for_update=True)
    if "format" in changes:
        parse_format(changes["format"])
    if "gap_free" in changes:
        changes["gap_free"] = bool(changes["gap_free"])
        if changes["gap_free"] != sequence.gap_free:
            counters.switch_mode(cur, sequence.id, gap_free=changes["gap_free"])
    if not changes:
        return sequence
    assignments = ", ".join(f"{column} = %s" for column in changes)
    cur.execute(
        f"UPDATE serial_sequence SET {assignments} WHERE id = %s RETURNING {_COLUMNS}",
        (*changes.values(), sequence.id),
    )
    return Sequence(*cur.fetchone())


def delete_sequence(cur, code, *, company=None) -> None:
    """Delete a sequence with its counters and blocks (and their PostgreSQL sequences)."""
    from . import counters

    sequence = get_sequence(cur, code, company=company, for_update=True)
    counters.drop_pg_sequences(cur, sequence.id)
    cur.execute("DELETE FROM serial_sequence WHERE id = %s", (sequence.id,))
