"""The chapter importer: damage model, candidates, scoring, overrides and the real chapter."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aieng.__main__ import main
from aieng.recovery import repair as recovery
from aieng.recovery.damage import LOST_BYTES, NotDamagedError, candidates, damage, parse
from aieng.recovery.repair import Override, OverrideError, recover_text

CHAPTER = Path(__file__).resolve().parents[1] / "chapter"


def test_damage_known_answer():
    """한 = ED 95 9C and 글 = EA B8 80 have no lost byte; 역 = EC 97 AD loses the soft hyphen.

    cp1254 reads ED 95 9C as 'í' (ED), '•' (95), 'œ' (9C); EC 97 as 'ì', '—'.
    """
    assert damage("한") == "í•œ"
    assert damage("역") == "ì—"
    assert damage("plain ASCII") == "plain ASCII"


def test_parse_finds_each_damaged_character():
    pieces = parse(damage("역사와 역할"))
    damaged = [p for p in pieces if isinstance(p, recovery.Damaged)]
    assert len(damaged) == 2
    assert all(d.length == 3 and d.missing == 1 for d in damaged)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0xAC00, max_value=0xD7A3))
def test_every_damaged_hangul_syllable_is_among_its_candidates(code):
    char = chr(code)
    raw = char.encode()
    present = bytes(b for b in raw if b not in LOST_BYTES)
    if len(present) == len(raw):
        assert damage(char).encode("cp1254") == raw
        return
    options = candidates(present, len(raw))
    assert char in options
    assert 2 <= len(options) <= 64
    assert all(damage(o) == damage(char) for o in options)


ALPHABET = list("가나다라역사모델의 크기많은데이터토큰 abc→←🎉\n")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=60))
def test_round_trip_damage_of_recovery_is_identity(text):
    damaged = damage(text)
    if not any(ord(c) > 0x7F for c in damaged):
        return  # nothing left to identify as damage
    assert damage(recover_text(damaged).text) == damaged


def test_common_sentence_is_recovered_by_frequencies_alone():
    original = "언어 모델의 역사를 한 단어로 요약하면 데이터입니다"
    assert recover_text(damage(original)).text == original


def test_clean_utf8_is_refused():
    with pytest.raises(NotDamagedError, match="already clean UTF-8"):
        parse("이미 깨끗한 한국어 문장")


def test_ascii_is_refused():
    with pytest.raises(NotDamagedError, match="nothing to import"):
        parse("just ascii\n")


def test_override_must_damage_to_the_same_bytes():
    text = damage("모델 크기")
    scored = recover_text(text).text.split()[1]
    bad = Override(line=1, scored=scored, fixed="사이즈", context="사이즈")
    with pytest.raises(OverrideError, match="does not damage to the same bytes"):
        recover_text(text, [bad])


def test_override_context_is_checked():
    text = damage("모델 크기")
    scored = recover_text(text).text.split()[1]
    wrong_context = Override(line=1, scored=scored, fixed="크기", context="데이터 크기")
    with pytest.raises(OverrideError, match="should contain"):
        recover_text(text, [wrong_context])


def test_override_must_find_the_scorers_word():
    text = damage("모델 크기")
    with pytest.raises(OverrideError, match="expected the scorer's word"):
        recover_text(text, [Override(line=1, scored="없는말", fixed="없는말", context="x")])


# ---------------------------------------------------------------------------------------------
# The real chapter


@pytest.fixture(scope="module")
def seed() -> str:
    return (CHAPTER / "1.1.seed.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def recovered(seed) -> recovery.Recovery:
    return recover_text(seed, recovery.load_overrides(CHAPTER / "1.1.overrides.toml"))


def test_chapter_damage_inventory(seed):
    """The issue's inventory: 735 damaged characters (719 + 15 Hangul-range, 1 emoji)."""
    damaged = [p for p in parse(seed) if isinstance(p, recovery.Damaged)]
    assert len(damaged) == 735
    assert sum(d.missing == 2 for d in damaged) == 15
    assert sum(d.length == 4 for d in damaged) == 1


def test_chapter_round_trip_is_byte_exact(seed, recovered):
    assert damage(recovered.text).encode("utf-8") == seed.encode("utf-8")


def test_committed_chapter_is_the_importers_output(recovered):
    committed = (CHAPTER / "1.1.md").read_text(encoding="utf-8")
    assert committed == recovered.text


@pytest.mark.parametrize(
    "phrase",
    [
        "Character보다 많은 의미",  # 많은, not 말은
        "모델 크기: Parameters",  # 크기, not 포기
        "생성되는 학습 샘플",  # 되는, not 또는
        "Phase Transitions (임계점)",  # 임계점, not 임계적
        "단어(word), 또는 단어의 일부",  # here 또는 is right
        "시각, 청각, 촉각 등",  # the senses: 촉각 (touch), not 촉감 (texture), as 시각 and 청각
        "- 감성 분석\n- 텍스트 분류",  # a list of tasks: 감성 (sentiment), not 각성
        'Self-supervision: "데이터가 너무 많아요" 🎉',
        "[← 목차로 돌아가기](./README.md)",
    ],
)
def test_chapter_reads_as_written(recovered, phrase):
    assert phrase in recovered.text


def test_chapter_has_no_stray_script(recovered):
    """No Hangul jamo, Yi syllables or other letters a bad repair would leave behind."""
    import unicodedata

    for ch in set(recovered.text):
        if ord(ch) > 0x24F and unicodedata.category(ch).startswith("L"):
            assert "\uac00" <= ch <= "\ud7a3", f"unexpected letter {ch!r} ({unicodedata.name(ch)})"


def test_cli_refuses_clean_file_and_writes_nothing(tmp_path, capsys):
    clean = tmp_path / "clean.md"
    clean.write_text("이미 깨끗한 한국어\n", encoding="utf-8")
    out = tmp_path / "out.md"
    assert main(["chapter", "import", str(clean), "-o", str(out)]) == 1
    assert not out.exists()
    assert "not damaged the way" in capsys.readouterr().err


def test_cli_writes_the_recovered_chapter(tmp_path):
    out = tmp_path / "sub" / "1.1.md"
    seed, overrides = CHAPTER / "1.1.seed.txt", CHAPTER / "1.1.overrides.toml"
    code = main(["import", str(seed), "--overrides", str(overrides), "-o", str(out)])
    assert code == 0
    assert out.read_text(encoding="utf-8") == (CHAPTER / "1.1.md").read_text(encoding="utf-8")
    assert [p.name for p in out.parent.iterdir()] == ["1.1.md"]
