"""wrap_text: breaking a line of PDF text at spaces to fit a width."""

from bimtek.core.pdftext import wrap_text

# Helvetica widths (per 1000 em): "a" 556, space 278. At 10 pt: "aa" = 11.12 pt,
# "aa aa" = 11.12 + 2.78 + 11.12 = 25.02 pt.


def test_words_stay_on_one_line_while_they_fit():
    assert wrap_text("aa aa", "Helvetica", 10, 25.03) == ["aa aa"]


def test_a_word_that_does_not_fit_starts_a_new_line():
    assert wrap_text("aa aa aa", "Helvetica", 10, 25.0) == ["aa", "aa", "aa"]
    assert wrap_text("aa aa aa", "Helvetica", 10, 26) == ["aa aa", "aa"]


def test_a_word_wider_than_the_line_is_kept_whole():
    assert wrap_text("aaaaaaaaaa aa", "Helvetica", 10, 20) == ["aaaaaaaaaa", "aa"]


def test_spaces_collapse_and_empty_text_gives_no_lines():
    assert wrap_text("  aa \n  aa ", "Helvetica", 10, 100) == ["aa aa"]
    assert wrap_text("", "Helvetica", 10, 100) == []
    assert wrap_text(None, "Helvetica", 10, 100) == []
