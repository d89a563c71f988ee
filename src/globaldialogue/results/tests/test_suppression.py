from globaldialogue.results.suppression import suppress


def test_small_counts_are_hidden_and_zero_is_shown():
    assert suppress({"a": 50, "b": 3, "c": 0, "d": 10}, 10, additive=False) == {
        "a": 50,
        "b": None,
        "c": 0,
        "d": 10,
    }


def test_a_lone_hidden_cell_in_a_total_takes_the_next_smallest_with_it():
    shown = suppress({"a": 50, "b": 3, "c": 12, "d": 40}, 10, additive=True)
    assert shown == {"a": 50, "b": None, "c": None, "d": 40}


def test_two_hidden_cells_need_no_more():
    shown = suppress({"a": 50, "b": 3, "c": 4, "d": 40}, 10, additive=True)
    assert shown == {"a": 50, "b": None, "c": None, "d": 40}


def test_nothing_hidden_when_all_are_large():
    assert suppress({"a": 10, "b": 11}, 10, additive=True) == {"a": 10, "b": 11}
