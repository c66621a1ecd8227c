"""Output language: Korean and English have wording; another locale reads English; typos fail."""

import pytest

from aieng.core.lang import LANGUAGES, output_language


@pytest.mark.parametrize(
    ("page", "output"), [("ko", "ko"), ("en", "en"), ("ja", "en"), ("pt-BR", "en")]
)
def test_output_language(page, output):
    assert output_language(page) == output


@pytest.mark.parametrize("bad", ["korean", "", "EN", None])
def test_not_a_locale_is_an_error(bad):
    with pytest.raises(ValueError, match="locale code"):
        output_language(bad)


def test_source_language_comes_first():
    assert LANGUAGES[0] == "ko"
