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


def test_pages_section_puts_server_steps_beside_browser_times_and_marks_targets():
    from benchmarks import pages

    record = {"page": "Health", "total": 0.9, "steps": {"query": 0.3, "compute": 0.2,
                                                          "cached read": 0.0, "figure": 0.2,
                                                          "send": 0.1, "other": 0.1}}
    result = pages.SizeResult(200_000, 14.0, peak_mb=900)
    result.first["Health"] = pages.View("Health", 2.5, [record])
    result.warm["Health"] = [pages.View("Health", 0.8, [record]), pages.View("Health", 0.9, [])]
    text = pages.markdown([result])
    assert "| 200,000 | Health | 2.50 ✗ | 0.90 (0.30 / 0.20 / 0.00 / 0.20 / 0.10 / 0.10) |" in text
    assert "| 0.85 ✓ |" in text
    assert "peak server memory 900 MB" in text


def test_pages_section_survives_a_new_report(tmp_path):
    from benchmarks import pages

    path = tmp_path / "RESULTS.md"
    path.write_text("# Benchmark results\n")
    write_section(pages.markdown([]), path, pages.BEGIN, pages.END)
    write_section("<!-- pages-history -->\n## Before and after\n<!-- /pages-history -->", path,
                  "<!-- pages-history -->", "<!-- /pages-history -->")
    kept = kept_sections(path)
    assert "## Pages in a browser" in kept and "## Before and after" in kept


def test_scan_ratio_section_divides_by_the_scan_and_flags_what_is_over_ten_times():
    from benchmarks import scan_ratio

    results = {200_000: {"scan": 0.1, "rows": [
        {"area": "health", "name": "summary", "cold": 0.5, "median": 0.4},
        {"area": "retention", "name": "cohorts", "cold": 2.0, "median": 1.5}]}}
    text = scan_ratio.markdown(results, (1.0, 1.2))
    assert "| health | summary | 0.40 (0.50) | 4.0x |" in text
    assert "| retention | cohorts | 1.50 (2.00) | 15.0x **over** |" in text
    assert text.startswith(scan_ratio.BEGIN) and text.endswith(scan_ratio.END)


def test_scale_and_scan_ratio_sections_survive_a_new_report(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text("# Benchmark results\n\nold timings\n")
    write_section("<!-- scale -->\n## Scale\n<!-- /scale -->", path, "<!-- scale -->",
                  "<!-- /scale -->")
    write_section("<!-- scanratio -->\n## Scan\n<!-- /scanratio -->", path, "<!-- scanratio -->",
                  "<!-- /scanratio -->")
    kept = kept_sections(path)
    assert "## Scale" in kept and "## Scan" in kept and "old timings" not in kept


def test_cli_table_names_the_heavy_packages_a_command_imported():
    from benchmarks import cli

    rows = [cli.CommandRun("metrics", 1.2, 1.0, 190.0, 0.7, (), 5),
            cli.CommandRun("survival", 3.0, 2.5, 400.0, 1.5, ("lifelines", "scipy"), 5)]
    text = cli.table(rows)
    assert "| `metrics --json` | 1.20 | 1.00 | 190 | 0.70 | none | 5 |" in text
    assert "| `survival --json` | 3.00 | 2.50 | 400 | 1.50 | lifelines, scipy | 5 |" in text
