"""Bar chart geometry: bars scale to 100%, hidden values draw nothing, ranges sit on the bar,
and right-to-left charts are mirror images."""

from globaldialogue.results.charts import PAD, WIDTH, Bar, bar_chart

BARS = [Bar("Better off", 0.5, 0.4, 0.6), Bar("Worse off", None), Bar("Same", 0.25)]


def test_bars_scale_and_hidden_values_draw_nothing():
    chart = bar_chart(BARS)
    half, hidden, quarter = chart.bars
    assert half.bar_width == 2 * quarter.bar_width > 0
    assert (hidden.bar_width, hidden.value) == (0, "–")
    assert (half.value, quarter.value) == ("50%", "25%")
    assert half.range_x1 < half.bar_x + half.bar_width < half.range_x2 < half.value_x
    assert hidden.range_x1 is None and chart.height > 3 * 12


def test_right_to_left_is_a_mirror_image():
    left, right = bar_chart(BARS), bar_chart(BARS, rtl=True)
    assert (right.anchor, left.anchor) == ("end", "start")
    for a, b in zip(left.bars, right.bars, strict=True):
        assert a.label_x == PAD and b.label_x == WIDTH - PAD
        assert b.bar_x + b.bar_width == WIDTH - PAD and a.bar_x == PAD
        assert round(a.value_x + b.value_x, 1) == WIDTH
