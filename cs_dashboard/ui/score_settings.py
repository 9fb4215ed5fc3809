"""The Health page's score settings: weight sliders, band thresholds, and saving them as the
score every page, the board pack and the CLI use (``api.health.saved_settings``)."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.api import health as api_health
from cs_dashboard.health import (
    DEFAULT_BANDS,
    DEFAULT_WEIGHT,
    GREEN_FROM,
    MOST_WEIGHT,
    RED_BELOW,
    ScoreSettings,
    check_settings,
    resolve_weights,
)
from cs_dashboard.ui import auth, cache

BANDS_KEY = "hl_bands"


def weight_key(component: str) -> str:
    return f"hl_w_{component}"


def _pretty(name: str) -> str:
    return name.upper() if len(name) <= 3 else name.replace("_", " ").capitalize()


def _save(settings: ScoreSettings) -> None:
    api_health.save_settings(cache.app_state(), settings, who=auth.who())
    st.toast("Saved: Overview, Capacity, the board pack and the CLI now use this score.",
             icon=":material/check:")


def _reset(components: tuple[str, ...]) -> None:
    """Back to equal weights and the reference bands, saved; sliders re-read the defaults."""
    api_health.save_settings(cache.app_state(), ScoreSettings(), who=auth.who())
    for key in (*map(weight_key, components), BANDS_KEY):
        st.session_state.pop(key, None)


def page_defaults(components: tuple[str, ...]) -> tuple[tuple[tuple[str, float], ...],
                                                       tuple[float, float]]:
    """``(weights, bands)`` as the Health page scores before a slider is moved: the saved
    settings with every component's weight spelled out, bands checked (``check_settings``)."""
    saved = _full(cache.score_settings(), components)
    bands = (int(saved.bands[0]), int(saved.bands[1]))  # the band slider's start
    return saved.weights, check_settings(saved.weights, bands, components)


def score_settings(components: tuple[str, ...]) -> tuple[tuple[tuple[str, float], ...], tuple[int, int]]:
    """Render the settings expander; the chosen ``(weights, band thresholds)`` (unchecked).

    Sliders start from the saved settings (``page_defaults``); "Save" makes the current choice
    the saved one.
    """
    saved = cache.score_settings()
    start = dict(saved.weights)
    with st.expander("Score settings: component weights and band thresholds", icon=":material/tune:"):
        st.caption("The score is the weighted mean of the components an account has; a missing "
                   "component's weight is shared by the others in proportion. Weight 0 leaves a "
                   "component out. With no component, a provided score is used; with neither, the "
                   "account is unscored (never 0).")
        weights = {}
        cols = st.columns(3)
        for i, name in enumerate(components):
            weights[name] = cols[i % 3].slider(
                _pretty(name), 0.0, MOST_WEIGHT.value, float(start.get(name, DEFAULT_WEIGHT.value)),
                MOST_WEIGHT.value / 10,
                format="%.1f", key=weight_key(name),
                help=f"Weight of {name} (default {DEFAULT_WEIGHT.value:g}: {DEFAULT_WEIGHT.source}).")
        bands = st.slider("Band thresholds: red below the first, green from the second", 0, 100,
                          (int(saved.bands[0]), int(saved.bands[1])), 1, key=BANDS_KEY,
                          help=f"Defaults (Definitions page, Presets): red below "
                               f"{RED_BELOW.value:g} (intervention), yellow {RED_BELOW.value:g} "
                               f"to below {GREEN_FROM.value:g}, green {GREEN_FROM.value:g} and "
                               "above (advocacy).")
        chosen = tuple((n, float(w)) for n, w in weights.items())
        _save_buttons(components, chosen, bands, saved)
    return chosen, bands


def _save_buttons(components: tuple[str, ...], chosen: tuple, bands: tuple[int, int],
                  saved: ScoreSettings) -> None:
    if not auth.admin_only("Saving the score for every page"):
        return
    current = _settings_or_none(components, chosen, bands)
    saved = _full(saved, components)
    unsaved = current is not None and current.to_json() != saved.to_json()
    left, right = st.columns(2)
    left.button("Save as the score for every page", icon=":material/save:", key="hl_save",
                disabled=not unsaved, on_click=_save, args=(current,),
                help="Overview, Capacity, the board pack and the CLI score accounts with the "
                     "saved weights and bands.")
    is_default = current is not None and current.is_default and saved.is_default
    right.button(f"Reset to equal weights and {DEFAULT_BANDS[0]:g} / {DEFAULT_BANDS[1]:g}",
                 icon=":material/restart_alt:", key="hl_reset", disabled=is_default,
                 on_click=_reset, args=(components,))
    if current is None:
        st.caption("These settings cannot be saved until they are valid (see below).")
    elif unsaved:
        st.caption(":orange[Unsaved changes: other pages still use the saved score.]")
    else:
        st.caption("This is the saved score, used by every page, the board pack and the CLI.")


def _full(settings: ScoreSettings, components: tuple[str, ...]) -> ScoreSettings:
    """``settings`` with every component's weight spelled out (defaults filled in)."""
    given = dict(settings.weights)
    return ScoreSettings(tuple((n, float(given.get(n, DEFAULT_WEIGHT.value))) for n in components),
                         settings.bands)


def _settings_or_none(components: tuple[str, ...], chosen: tuple,
                      bands: tuple[int, int]) -> ScoreSettings | None:
    """The chosen settings, or ``None`` when they are invalid (the page explains why)."""
    try:
        resolve_weights(components, chosen)
        return ScoreSettings(chosen, (float(bands[0]), float(bands[1])))
    except ValueError:
        return None
