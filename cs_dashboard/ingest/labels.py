"""Which column of a file feeds which field: our names, the labels of common exports, a mapping.

The labels of the exports people have are declared data (``LABELS``): Salesforce and HubSpot
account/company reports, Baremetrics' subscription import template and Stripe's subscription
export. A column feeds a field by, in order of precedence: the user's mapping, its name (ignoring
case, spaces, underscores and hyphens), a declared label (in declaration order). A field is fed
by one column; every other column is reported as ignored, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cs_dashboard.db.schema import COLUMNS
from cs_dashboard.ingest.read import normalise_name

#: Fields of the files that are not stored as they are: subscriptions (monthly MRR is derived
#: from them) and exchange rates. name -> required.
SUBSCRIPTION_FIELDS: dict[str, bool] = {
    "account_id": True, "account_name": False, "subscription_id": False, "plan": False,
    "currency": False, "amount": False, "amount_cents": False, "interval": True,
    "interval_count": False, "quantity": False, "start": True, "end": False, "status": False,
    "trial_end": False,
}
FX_FIELDS: dict[str, bool] = {"currency": True, "month": True, "rate": True}

#: The fields each kind of file can feed, and the required ones.
FIELDS: dict[str, tuple[str, ...]] = {
    **{t: tuple(cols) for t, cols in COLUMNS.items()},
    "subscriptions": tuple(SUBSCRIPTION_FIELDS), "fx": tuple(FX_FIELDS),
}
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    **{t: tuple(c for c, (_, req) in cols.items() if req) for t, cols in COLUMNS.items()},
    "subscriptions": tuple(c for c, req in SUBSCRIPTION_FIELDS.items() if req),
    "fx": tuple(FX_FIELDS),
}


@dataclass(frozen=True)
class Label:
    """A column label an export writes, and the field it feeds."""

    table: str
    label: str
    field: str
    system: str


def _labels(table: str, system: str, pairs: dict[str, str]) -> tuple[Label, ...]:
    return tuple(Label(table, label, field, system) for label, field in pairs.items())


#: The labels recognised, by system; earlier labels win when two feed the same field.
LABELS: tuple[Label, ...] = (
    *_labels("accounts", "Salesforce", {
        "Account ID": "account_id", "Account Name": "account_name", "Account Owner": "csm",
        "Industry": "industry", "Billing Country": "region", "Customer Since": "customer_since",
        "Contract End Date": "renewal_date"}),
    *_labels("accounts", "HubSpot", {
        "Record ID": "account_id", "Company ID": "account_id", "Company name": "account_name",
        "Company owner": "csm", "Industry": "industry", "Country/Region": "region",
        "Became a Customer Date": "customer_since", "Renewal Date": "renewal_date"}),
    *_labels("subscriptions", "Baremetrics", {
        "customer_oid": "account_id", "customer_name": "account_name",
        "subscription_oid": "subscription_id", "plan_name": "plan",
        "plan_currency": "currency", "plan_amount": "amount_cents", "plan_interval": "interval",
        "plan_interval_count": "interval_count", "subscription_quantity": "quantity",
        "subscription_started_at": "start", "subscription_canceled_at": "end"}),
    *_labels("subscriptions", "Stripe", {
        "Customer ID": "account_id", "Customer Name": "account_name",
        "Customer Description": "account_name", "id": "subscription_id", "Plan": "plan",
        "Currency": "currency", "Amount": "amount", "Interval": "interval",
        "Interval Count": "interval_count", "Quantity": "quantity", "Status": "status",
        "Start (UTC)": "start", "Start Date (UTC)": "start", "Ended At (UTC)": "end",
        "Trial End (UTC)": "trial_end"}),
    *_labels("fx", "rates file", {"Date": "month"}),
)

#: How a column came to feed its field, as the preview and the mapping download say it.
BY_MAPPING, BY_NAME = "your mapping", "name"


@dataclass(frozen=True)
class ColumnMatch:
    """One column of a file: the field it feeds (``None``: ignored) and how, or why not."""

    column: str
    field: str | None
    how: str


def match_columns(header: list[str], table: str,
                  mapping: Mapping[str, str] | None = None) -> list[ColumnMatch]:
    """The field each column of ``header`` feeds in ``table`` (one match per column, in order).

    ``mapping``: file column -> field, or ``""`` to ignore the column; it overrides names and
    labels. Health columns that are not keys are score components named after the column.
    """
    mapping = mapping or {}
    fields = FIELDS[table]
    by_name = {normalise_name(f): f for f in fields}
    by_label: dict[str, tuple[int, Label]] = {}
    for rank, label in enumerate(x for x in LABELS if x.table == table):
        by_label.setdefault(normalise_name(label.label), (rank, label))
    candidates: dict[int, tuple[tuple[int, int], str, str]] = {}  # column -> (rank, field, how)
    for i, column in enumerate(header):
        key = normalise_name(column)
        if column in mapping:
            target = mapping[column]
            candidates[i] = ((0, i), target, BY_MAPPING) if target else ((0, i), "", BY_MAPPING)
        elif key in by_name:
            candidates[i] = ((1, i), by_name[key], BY_NAME)
        elif key in by_label:
            rank, label = by_label[key]
            candidates[i] = ((2, rank), label.field, f"{label.system} label")
        elif table == "health" and key:
            candidates[i] = ((3, i), key, "health component")
    fed: dict[str, int] = {}
    for i in sorted(candidates, key=lambda i: candidates[i][0]):
        (tier, _), field, _ = candidates[i]
        if field and (tier == 0 or field not in fed):
            fed.setdefault(field, i)
    out = []
    for i, column in enumerate(header):
        if i not in candidates:
            out.append(ColumnMatch(column, None, f"ignored: not a field of {table}"))
            continue
        (tier, _), field, how = candidates[i]
        if not field:
            out.append(ColumnMatch(column, None, "ignored by your mapping"))
        elif tier == 0 or fed[field] == i:
            out.append(ColumnMatch(column, field, how))
        else:
            out.append(ColumnMatch(column, None,
                                   f"ignored: {field} comes from column {header[fed[field]]!r}"))
    return out


def unknown_targets(table: str, mapping: Mapping[str, str]) -> list[str]:
    """Fields named in ``mapping`` that ``table`` does not have (health takes any component)."""
    if table == "health":
        return [t for t in mapping.values() if t and not normalise_name(t)]
    return sorted({t for t in mapping.values() if t and t not in FIELDS[table]})


def missing_fields(table: str, matches: list[ColumnMatch]) -> list[str]:
    """Required fields of ``table`` that no column feeds."""
    fed = {m.field for m in matches if m.field}
    return [f for f in REQUIRED_FIELDS[table] if f not in fed]

