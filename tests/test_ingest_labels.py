"""Column names as exports write them: declared labels, precedence, the mapping file."""

import json

import pytest

from cs_dashboard.ingest import load_tables
from cs_dashboard.ingest.labels import FIELDS, LABELS, match_columns
from cs_dashboard.ingest.mapping import ImportOptions, MappingError, mapping_json, read_mapping
from cs_dashboard.ingest.read import normalise_name
from tests.conftest import ROOT

SALESFORCE = ["Account ID", "Account Name", "Account Owner", "Industry", "Billing Country", "Type",
              "Customer Since", "Contract End Date", "Annual Revenue"]
HUBSPOT = ["Record ID", "Company name", "Company owner", "Industry", "Country/Region",
           "Became a Customer Date", "Renewal Date", "Create Date"]


def fed(header, table="accounts", mapping=None):
    return {m.column: m.field for m in match_columns(header, table, mapping)}


def test_every_declared_label_feeds_a_field_of_its_table():
    for label in LABELS:
        assert label.field in FIELDS[label.table], label


def test_no_label_means_two_fields_in_one_table():
    seen = {}
    for label in LABELS:
        key = (label.table, normalise_name(label.label))
        assert seen.setdefault(key, label.field) == label.field, label


def test_the_readme_names_every_system_whose_labels_are_recognised():
    readme = (ROOT / "README.md").read_text()
    for system in {label.system for label in LABELS} - {"rates file"}:
        assert system in readme, system


@pytest.mark.parametrize(("header", "expected"), [
    (SALESFORCE, {"Account ID": "account_id", "Account Name": "account_name",
                  "Account Owner": "csm", "Industry": "industry", "Billing Country": "region",
                  "Type": None, "Customer Since": "customer_since",
                  "Contract End Date": "renewal_date", "Annual Revenue": None}),
    (HUBSPOT, {"Record ID": "account_id", "Company name": "account_name", "Company owner": "csm",
               "Industry": "industry", "Country/Region": "region",
               "Became a Customer Date": "customer_since", "Renewal Date": "renewal_date",
               "Create Date": None}),
])
def test_crm_account_exports_feed_our_fields(header, expected):
    assert fed(header) == expected


def test_a_region_column_wins_over_the_billing_country_and_the_loser_says_why():
    matches = match_columns(["Account ID", "Billing Country", "Region"], "accounts")
    assert [(m.field, m.how) for m in matches] == [
        ("account_id", "name"), (None, "ignored: region comes from column 'Region'"),
        ("region", "name")]


def test_the_users_mapping_wins_over_names_and_labels_and_can_ignore_a_column():
    mapping = {"Owner Email": "csm", "Account Owner": ""}
    matches = match_columns(["Account ID", "Account Owner", "Owner Email", "csm"], "accounts",
                            mapping)
    assert [(m.field, m.how) for m in matches] == [
        ("account_id", "name"), (None, "ignored by your mapping"), ("csm", "your mapping"),
        (None, "ignored: csm comes from column 'Owner Email'")]


def test_stripe_and_baremetrics_subscription_labels_feed_the_subscription_fields():
    stripe = fed(["id", "Customer ID", "Customer Name", "Plan", "Quantity", "Currency",
                  "Interval", "Amount", "Status", "Start (UTC)", "Canceled At (UTC)",
                  "Ended At (UTC)", "Trial End (UTC)"], "subscriptions")
    assert stripe == {"id": "subscription_id", "Customer ID": "account_id",
                      "Customer Name": "account_name", "Plan": "plan", "Quantity": "quantity",
                      "Currency": "currency", "Interval": "interval", "Amount": "amount",
                      "Status": "status", "Start (UTC)": "start", "Canceled At (UTC)": None,
                      "Ended At (UTC)": "end", "Trial End (UTC)": "trial_end"}


SF_ACCOUNTS = (b"Account ID,Account Name,Account Owner,Billing Country,Customer Since\n"
               b"001A,Acme,Ava,United States,3/15/2022\n")
SF_MRR = b"Account ID,Revenue Month,MRR (USD)\n001A,1/31/2025,\"$1,234.50\"\n"
MAPPING_TOML = b'format = 1\n[columns.mrr]\n"Revenue Month" = "month"\n"MRR (USD)" = "mrr"\n'


def sf_files():
    return {"accounts": ("accounts.csv", SF_ACCOUNTS), "mrr": ("mrr.csv", SF_MRR)}


def test_a_toml_mapping_file_names_the_columns_an_export_calls_otherwise():
    result = load_tables(sf_files(), options=read_mapping(MAPPING_TOML, "map.toml"))
    assert result.ok, [str(p) for p in result.problems]
    assert result.frames["mrr"]["mrr"].tolist() == [1234.5]
    assert result.frames["accounts"]["csm"].tolist() == ["Ava"]


def test_the_downloaded_mapping_imports_the_same_files_the_same_way():
    first = load_tables(sf_files(), options=read_mapping(MAPPING_TOML, "map.toml"))
    document = mapping_json(first.options, first.matches())
    assert json.loads(document)["columns"]["accounts"]["Account Owner"] == "csm"
    again = load_tables(sf_files(), options=read_mapping(document.encode(), "map.json"))
    assert again.ok
    for table, frame in first.frames.items():
        assert frame.equals(again.frames[table])


@pytest.mark.parametrize(("text", "name", "message"), [
    (b'{"colums": {}}', "m.json", "m.json: unknown key(s) 'colums'"),
    (b'{"columns": {"acounts": {}}}', "m.json", "columns.acounts: not a table"),
    (b'[columns.mrr]\n"Revenue" = "revenue"\n', "m.toml", "'revenue' not a field of mrr"),
    (b'date_format = "DD/MM/YY"\n', "m.toml", "date_format: date format 'DD/MM/YY'"),
    (b'currency = "dollars"\n', "m.toml", "currency: not a currency code"),
    (b"{not json", "m.json", "m.json: cannot read the mapping file"),
])
def test_a_mapping_file_that_cannot_be_used_is_refused_naming_the_place(text, name, message):
    with pytest.raises(MappingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_mapping(text, name)


def test_a_mapping_to_a_field_that_does_not_exist_is_a_problem_not_a_crash():
    result = load_tables(sf_files(), {"mrr": {"Revenue Month": "mnth"}})
    assert not result.ok
    assert any(p.value == "mnth" and "not a field of mrr" in p.reason for p in result.problems)


def test_options_are_a_plain_value_object():
    options = ImportOptions({"mrr": {"a": "mrr"}}, "MM/DD/YYYY", "EUR")
    assert options.with_columns({"mrr": {"b": "month"}}).columns == {"mrr": {"a": "mrr",
                                                                             "b": "month"}}
