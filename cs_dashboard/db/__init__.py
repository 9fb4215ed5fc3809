"""The data layer: the only code that talks to a database.

- ``engine``: connecting to a source URL, masking passwords.
- ``schema``: the four source tables (accounts, mrr, health, csms).
- ``queries``: aggregating read queries returning small DataFrames.
- ``writer``: replacing a source's data in one transaction.
- ``state``: the app's own state database (settings, tier rules, scenarios).
"""
