"""Server-drawn SVG bar charts: a text alternative, values printed, names escaped."""

import re

from grants.reports.operations.charts import Bar, bar_chart


def test_a_chart_is_an_image_named_by_its_title_and_described_bar_by_bar():
    svg = str(bar_chart("chart-x", "Amount awarded", [Bar("Reading", 1_000_000),
                                                      Bar("Oxford", 250_050)]))
    assert svg.startswith('<svg class="app-chart" id="chart-x"')
    assert 'role="img" aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert '<title id="chart-x-title">Amount awarded</title>' in svg
    assert '<desc id="chart-x-desc">Reading: £10,000; Oxford: £2,500.50.</desc>' in svg
    # Each value is printed beside its bar, so colour carries nothing on its own.
    assert ">£10,000</text>" in svg and ">£2,500.50</text>" in svg


def test_bars_are_in_proportion_to_the_largest():
    svg = str(bar_chart("c", "t", [Bar("A", 400), Bar("B", 100)]))
    widths = [float(width) for width in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    assert widths[0] == 4 * widths[1]


def test_names_are_escaped_and_long_ones_shortened():
    svg = str(bar_chart("c", "<t>", [Bar("<script>alert(1)</script> and a long name", 1)]))
    assert "<script>" not in svg
    assert "&lt;t&gt;" in svg
    assert "…</text>" in svg


def test_no_rows_draw_no_chart():
    assert str(bar_chart("c", "t", [])) == ""
