"""The national view's SVG bar charts: bars scaled to the chart's largest value, and the
same numbers in the table beside each chart."""

from assessment.national.charts import BAR_AREA, LABEL_WIDTH, bar_chart


def test_bars_are_scaled_to_the_largest_value_and_the_table_holds_the_numbers():
    # When
    chart = bar_chart(id="c", title="Søkt og innvilget", description="Stolper.",
                      series=[("applied", "Søkt"), ("granted", "Innvilget")],
                      rows=[("Oslo", [200, 50]), ("Agder", [100, 0])])

    # Then
    assert [[bar.width for bar in row.bars] for row in chart.rows] == [
        [BAR_AREA, BAR_AREA // 4], [BAR_AREA // 2, 0]]
    assert {bar.x for row in chart.rows for bar in row.bars} == {LABEL_WIDTH}
    assert chart.headers == ["Embete", "Søkt", "Innvilget"]
    assert chart.table == [["Oslo", "kr\u00a0200", "kr\u00a050"],
                           ["Agder", "kr\u00a0100", "kr\u00a00"]]


def test_a_chart_of_nothing_draws_empty_bars():
    chart = bar_chart(id="c", title="t", description="d", series=[("pot", "Ramme")],
                      rows=[("Oslo", [0])])

    assert [bar.width for bar in chart.rows[0].bars] == [0]
