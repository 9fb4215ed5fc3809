"""Downloadable CSV templates: each table's columns with two example rows."""

from __future__ import annotations

import csv
import io

from cs_dashboard.ingest.labels import FIELDS, REQUIRED_FIELDS

EXAMPLES: dict[str, list[dict[str, str]]] = {
    "accounts": [
        {"account_id": "A001", "account_name": "Northwind Labs", "csm": "Ava Adams",
         "region": "EMEA", "industry": "Software", "segment": "Enterprise", "plan": "Business",
         "seats": "250", "customer_since": "2022-03-15", "renewal_date": "2027-03-15",
         "potential_arr": "180000", "complexity": "High"},
        {"account_id": "A002", "account_name": "Bluefield Retail", "csm": "Ben Brook",
         "region": "North America", "industry": "Retail", "segment": "SMB", "plan": "Starter",
         "seats": "12", "customer_since": "2024-07-01", "renewal_date": "2027-07-01",
         "potential_arr": "9000", "complexity": "Low"},
    ],
    "mrr": [{"account_id": "A001", "month": "2026-09-01", "mrr": "12500"},
            {"account_id": "A002", "month": "2026-09-01", "mrr": "450"}],
    "health": [{"account_id": "A001", "as_of": "2026-09-01", "score": "", "usage": "82",
                "adoption": "75", "support": "90", "nps": "70"},
               {"account_id": "A002", "as_of": "2026-09-01", "score": "64", "usage": "",
                "adoption": "", "support": "", "nps": ""}],
    "csms": [{"csm": "Ava Adams", "team": "Enterprise", "role": "high touch",
              "start_date": "2021-05-01", "hours_per_week": "40", "annual_cost": "195000"},
             {"csm": "Ben Brook", "team": "Scale", "role": "tech touch",
              "start_date": "2023-01-09", "hours_per_week": "40", "annual_cost": "150000"}],
    "subscriptions": [
        {"account_id": "A001", "account_name": "Northwind Labs", "start": "2024-03-15",
         "end": "", "amount": "12000", "interval": "year", "quantity": "1", "currency": "USD"},
        {"account_id": "A002", "account_name": "Bluefield Retail", "start": "2024-07-01",
         "end": "2025-06-30", "amount": "45", "interval": "month", "quantity": "10",
         "currency": "EUR"}],
    "fx": [{"currency": "EUR", "month": "2024-07", "rate": "1.09"},
           {"currency": "EUR", "month": "2024-08", "rate": "1.10"}],
}


def template_csv(table: str) -> bytes:
    """The CSV template of ``table`` (UTF-8, comma-separated)."""
    rows = EXAMPLES[table]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def describe(table: str) -> str:
    """Markdown list of the table's columns, required ones in bold."""
    cols = [f"**{c}**" if c in REQUIRED_FIELDS[table] else c for c in FIELDS[table]]
    extra = {"health": " plus any component columns (0..100)",
             "subscriptions": " (amount in currency units, or amount_cents)",
             "fx": " (month or date; 1 unit of the currency = rate reporting units)"}
    return ", ".join(cols) + extra.get(table, "")
