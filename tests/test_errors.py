"""One error type for what a user can fix: each domain error says what could not be used and
why, in one sentence a page shows through ``ui.messages.error``."""

from __future__ import annotations

import pytest

from cs_dashboard.capacity import ScenarioError
from cs_dashboard.errors import InputError
from cs_dashboard.forecast import ForecastInputError
from cs_dashboard.health import HealthInputError
from cs_dashboard.ingest.mapping import MappingError, read_mapping
from cs_dashboard.tiers import TierRule, TierRuleError


@pytest.mark.parametrize(("error", "subject"), [
    (TierRuleError, "The tier rule"), (HealthInputError, "The score settings"),
    (ScenarioError, "The assumptions"), (ForecastInputError, "The forecast options"),
    (MappingError, "The mapping file")])
def test_every_domain_error_is_an_input_error_with_its_subject(error, subject):
    exc = error("the reason")
    assert isinstance(exc, InputError) and isinstance(exc, ValueError)
    assert exc.message == f"{subject} cannot be used: the reason."


def test_the_tier_rule_error_has_one_wording():
    with pytest.raises(TierRuleError) as caught:
        TierRule("accounts", (30.0, 10.0), ("A", "B", "C"))
    assert caught.value.message == ("The tier rule cannot be used: cuts must be percents between "
                                    "0 and 100, strictly increasing.")
    assert str(caught.value) == "cuts must be percents between 0 and 100, strictly increasing"


def test_a_bare_input_error_is_its_reason_as_a_sentence():
    assert InputError("reporting currency: not a currency code").message == \
        "Reporting currency: not a currency code."


def test_a_mapping_file_error_names_the_file():
    with pytest.raises(MappingError) as caught:
        read_mapping(b'{"nonsense": 1}', "m.json")
    assert caught.value.message.startswith("The mapping file cannot be used: m.json: ")
