"""The benchmark report keeps its browser sections when the computations are re-measured."""

from benchmarks import first_page
from benchmarks.__main__ import kept_sections
from benchmarks.loadtest import write_section


def test_first_page_section_states_cold_warm_and_the_target(tmp_path):
    text = first_page.markdown(4.2, [1.0, 2.0, 9.0])
    assert "| first after server start (cold caches) | 4.20 | | |" in text
    assert "| later visits, median of 3 | 2.00 | 3 | yes |" in text


def test_both_browser_sections_survive_a_new_report(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text("# Benchmark results\n\nold timings\n")
    write_section(first_page.markdown(5.0, [4.0]), path, first_page.BEGIN, first_page.END)
    write_section("<!-- loadtest -->\n## Load test\n<!-- /loadtest -->", path)
    kept = kept_sections(path)
    assert "## First page in a browser" in kept and "| 4.00 | 3 | **NO** |" in kept
    assert "## Load test" in kept and "old timings" not in kept
