"""Letter frequencies and Shannon's entropies (aieng.text.shannon), with known answers."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.book import letters
from aieng.text import shannon
from aieng.text.shannon import entropy_profile, letter_stats, normalize


def test_normalize_keeps_27_symbols():
    assert normalize("  Élan, naïve—CAFÉ! 42\n") == "elan naive cafe"
    assert set(normalize("Any text: 1, 2, 3 — ☃ 한글 ok")) <= set(shannon.ALPHABET)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_normalize_is_idempotent_and_in_the_alphabet(text):
    once = normalize(text)
    assert normalize(once) == once
    assert set(once) <= set(shannon.ALPHABET)
    assert "  " not in once and not once.startswith(" ") and not once.endswith(" ")


def test_letter_counts_known_answer():
    """ "Elementary, my dear Watson": e ×4 (E-l-E-m-E-ntary, dEar), a ×3, r ×2, ..."""
    stats = letter_stats("Elementary, my dear Watson!")
    assert stats.counts["e"] == 4 and stats.counts["a"] == 3 and stats.counts["z"] == 0
    assert stats.total == 22
    assert stats.most_common == "e"
    assert sum(stats.frequencies.values()) == pytest.approx(1.0)


def test_entropy_known_answers():
    """F0 = log2 27. "ab" repeated: F1 = 1 bit (a and b equally likely), F2 = 0 (the previous
    letter decides the next)."""
    e = entropy_profile("ab" * 500, max_order=3)
    assert e.bits[0] == pytest.approx(math.log2(27))
    assert e.bits[1] == pytest.approx(1.0)
    assert e.bits[2] == pytest.approx(0.0, abs=1e-12)
    assert e.bits[3] == pytest.approx(0.0, abs=1e-12)
    assert e.contexts[2] == 2  # contexts "a" and "b"


def test_entropy_is_never_negative_and_never_grows_with_context():
    text = "the quick brown fox jumps over the lazy dog " * 20 + "pack my box with five dozen jugs"
    bits = entropy_profile(text, max_order=5).bits
    assert all(b >= -1e-12 for b in bits)
    assert all(a >= b - 1e-9 for a, b in zip(bits, bits[1:], strict=False))


def test_errors_say_what_to_do():
    with pytest.raises(ValueError, match="no letters"):
        letter_stats("1234 — 한글")
    with pytest.raises(TypeError, match="must be a str"):
        letter_stats(b"abc")
    with pytest.raises(ValueError, match="max_order"):
        entropy_profile("abc", max_order=13)
    with pytest.raises(ValueError, match="unknown source"):
        letters.source_text("wikipedia")


def test_shakespeare_e_is_the_commonest_letter_and_entropy_falls():
    """The corpus is ~3.8M letters; the ranking starts E, T, O and F_1 is near 4.1 bits,
    close to Shannon's 4.03 for 27 symbols; F_3 is already under 3 bits."""
    a = letters.analyse("shakespeare")
    assert a.letters.ranking.startswith("eto")
    assert a.letters.total > 3_000_000
    assert 4.0 < a.entropy.bits[1] < 4.2
    assert a.entropy.bits[3] < 3.0
    assert list(a.entropy.bits) == sorted(a.entropy.bits, reverse=True)


def test_site_english_e_is_the_commonest_letter():
    assert letters.analyse("site-en").letters.most_common == "e"


def test_charts_are_accessible_svg_in_the_page_language():
    a = letters.analyse("shakespeare", max_order=4)
    for lang, word in (("ko", "영어 글자 빈도"), ("en", "Letter frequencies")):
        svg = letters.letter_chart_svg([a], lang=lang)
        root = ET.fromstring(svg)  # well-formed XML
        assert root.get("role") == "img" and root.get("aria-labelledby")
        assert word in svg and "#" not in root.get("class", "")
        assert 'fill="#' not in svg  # colours come from the theme's CSS, not fixed hex values
    line = letters.entropy_chart_svg([a, a], lang="en")
    ET.fromstring(line)
    assert 'stroke-dasharray="6 4"' in line  # the second series differs by dashes, not colour
    # a language without its own wording (one being scaffolded) reads English; a typo is an error
    assert letters.letter_chart_svg([a], lang="fr") == letters.letter_chart_svg([a], lang="en")
    with pytest.raises(ValueError, match="locale code"):
        letters.letter_chart_svg([a], lang="french")
