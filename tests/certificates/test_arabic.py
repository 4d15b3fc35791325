"""Right-to-left names: what is drawn left to right for a name typed in logical order.

Twelve sample names; the hand-written shaper this replaced got six of them wrong (a space
lost before digits, Arabic-Indic digits reversed, Persian letters left unshaped).
"""

import pytest
from reportlab.pdfbase import pdfmetrics

from bimtek.certificates.arabic import visual
from bimtek.core.fonts import register_fonts

SAMPLES = [
    # meem initial, hah medial, meem medial, dal final
    ("محمد", "\ufeaa\ufee4\ufea4\ufee3"),
    # lam-alef ligature in its final form after a joining seen
    ("سلام", "\ufee1\ufefc\ufeb3"),
    # words right to left; الله spelled out (DejaVu has no U+FDF2 Allah ligature)
    ("محمد عبد الله", "\ufeea\ufee0\ufedf\ufe8d \ufeaa\ufe92\ufecb \ufeaa\ufee4\ufea4\ufee3"),
    # a left-to-right paragraph keeps its Latin order around the Arabic word
    ("Dr. محمد, M.A.", "Dr. \ufeaa\ufee4\ufea4\ufee3, M.A."),
    ("Nguyễn Thị Ánh", "Nguyễn Thị Ánh"),
    # isolated lam-alef after a non-joining letter
    ("لا إله", "\ufeea\ufedf\ufe87 \ufefb"),
    # the space between the word and the year stays between them
    ("سلام 2024", "2024 \ufee1\ufefc\ufeb3"),
    # Arabic-Indic digits read left to right, in their logical order
    (
        "عبد الله ٢٠٢٤",
        "\u0662\u0660\u0662\u0664 \ufeea\ufee0\ufedf\ufe8d \ufeaa\ufe92\ufecb",
    ),
    # Persian letters (پ چ ژ گ ی) take their contextual forms
    ("پرویز", "\ufeb0\ufbfe\ufeed\ufeae\ufb58"),
    ("چنگیز", "\ufeb0\ufbff\ufb95\ufee8\ufb7c"),
    ("ژاله", "\ufeea\ufedf\ufe8d\ufb8a"),
    ("گلناز", "\ufeaf\ufe8e\ufee8\ufee0\ufb94"),
]


@pytest.mark.parametrize(("logical", "drawn"), SAMPLES)
def test_names_are_shaped_and_ordered_for_drawing(logical, drawn):
    assert visual(logical) == drawn


def test_space_before_digits_is_kept():
    assert visual("سلام 2024").startswith("2024 ")


def test_arabic_indic_digits_keep_logical_order():
    assert "٢٠٢٤" in visual("عبد الله ٢٠٢٤")


@pytest.mark.parametrize("letter", ["پ", "چ", "ژ", "گ"])
def test_persian_letters_are_shaped(letter):
    shown = visual(letter + "ا")
    assert letter not in shown  # replaced by a presentation form


def test_every_drawn_character_is_in_the_fallback_font():
    register_fonts()
    glyphs = pdfmetrics.getFont("Sans-Bold").face.charToGlyph
    for logical, _drawn in SAMPLES:
        shown = visual(logical)
        assert all(ord(ch) in glyphs for ch in shown if not ch.isspace()), logical
