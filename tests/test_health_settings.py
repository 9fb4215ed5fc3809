"""Saved health score settings (``health.settings`` and ``api.health.saved_settings``): what is
kept, what is refused, and how they meet data whose components differ."""

from __future__ import annotations

import pytest

from cs_dashboard.api import health as api_health
from cs_dashboard.db.state import AppState
from cs_dashboard.health import DEFAULT_BANDS, HealthInputError, ScoreSettings


def test_the_default_is_equal_weights_and_the_reference_bands():
    assert ScoreSettings().weights == ()
    assert ScoreSettings().bands == DEFAULT_BANDS == (70.0, 85.0)
    assert ScoreSettings().is_default
    assert ScoreSettings((("usage", 1.0), ("nps", 1.0))).is_default
    assert not ScoreSettings((("usage", 2.0),)).is_default
    assert not ScoreSettings(bands=(60.0, 85.0)).is_default


def test_settings_survive_a_json_round_trip():
    settings = ScoreSettings((("usage", 2.0), ("nps", 0.5), ("support", 0.0)), (65.0, 80.0))
    assert ScoreSettings.from_json(settings.to_json()) == settings
    assert settings.to_json() == {"weights": {"usage": 2.0, "nps": 0.5, "support": 0.0},
                                  "bands": [65.0, 80.0]}


@pytest.mark.parametrize("body", [
    "70,85", {"bands": [85, 70]}, {"bands": [0, 50]}, {"bands": [70]},
    {"weights": {"usage": -1}}, {"weights": {"usage": "lots"}}, {"weights": [1, 2]},
])
def test_malformed_settings_are_refused(body):
    with pytest.raises(HealthInputError):
        ScoreSettings.from_json(body)


def test_weights_of_components_the_data_lacks_are_dropped():
    settings = ScoreSettings((("usage", 2.0), ("sponsor", 3.0)))
    assert settings.weights_for(("usage", "nps")) == (("usage", 2.0),)
    assert settings.weights_for(()) == ()


def test_weights_that_would_zero_every_component_of_the_data_fall_back_to_equal_weights():
    settings = ScoreSettings((("usage", 0.0), ("sponsor", 3.0)))
    assert settings.weights_for(("usage",)) == ()
    assert settings.weights_for(("usage", "nps")) == (("usage", 0.0),)


def test_nothing_saved_reads_as_the_default(tmp_path):
    state = AppState(f"sqlite:///{tmp_path / 'state.sqlite'}")
    assert api_health.saved_settings(state) == ScoreSettings()


def test_saved_settings_are_read_back(tmp_path):
    state = AppState(f"sqlite:///{tmp_path / 'state.sqlite'}")
    settings = ScoreSettings((("usage", 2.0),), (60.0, 80.0))
    api_health.save_settings(state, settings)
    assert api_health.saved_settings(AppState(f"sqlite:///{tmp_path / 'state.sqlite'}")) == settings


def test_a_corrupt_saved_value_reads_as_the_default(tmp_path):
    state = AppState(f"sqlite:///{tmp_path / 'state.sqlite'}")
    state.set(api_health.SETTINGS_KEY, {"bands": [90, 10]})
    assert api_health.saved_settings(state) == ScoreSettings()
