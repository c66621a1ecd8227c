"""How each claim of chapter 1.1 is checked (the claims themselves: ``data/claims-1.1.toml``).

One function per claim (or per family of claims), registered with :func:`aieng.claims.check`.
Each takes the :class:`~aieng.claims.Claim` (the book's value and stated inputs come from there,
never typed twice) and returns a :class:`~aieng.claims.Check`: the computed value, the verdict
and the reason in Korean and English. Tokenizer results come through cached functions, so a warm
build loads no tokenizer.

Example:
    >>> from aieng.claims import claims
    >>> _label_cost(claims()["label-cost-1m"]).reason[1]
    '$0.05 × 1,000,000 images = 50,000'
"""

from __future__ import annotations

from aieng.claims import Check, Claim, approx, book_value, check, external, number, ratio
from aieng.prose import measure_chapter, measure_shakespeare

SENTENCE = "I can't wait to build AI applications"
STREET_FOOD = "I love street food."


def _joined(pieces: tuple[str, ...]) -> str:
    return " + ".join(p.strip() or p for p in pieces)


def _shown(pieces: tuple[str, ...]) -> str:
    """Tokens as the ledger shows them: ``I + ␣can + 't`` (a space drawn as ␣)."""
    from aieng.tokenview import show_space

    return " + ".join(show_space(p) for p in pieces)


def _verdict(ok: bool) -> str:
    return "holds" if ok else "differs"


def _input(id: str, name: str) -> float:
    """A stated input of another claim."""
    from aieng.claims import claims

    return claims()[id].input(name)


def _book_text(id: str) -> str:
    """The book's figure of another claim, as the book writes it."""
    from aieng.claims import claims

    return str(claims()[id].book)


# --- tokens: 1.1/language-models.md#tokens --------------------------------------------------------


@check("gpt4-example-tokens")
def _gpt4_example_tokens(claim: Claim) -> Check:
    from aieng.tokens import split

    gpt4, mixtral = split(SENTENCE, "gpt-4").count, split(SENTENCE, "mixtral").count
    return Check(gpt4, _verdict(gpt4 == claim.book), (
        f"GPT-4 tokenizer(cl100k_base)는 {gpt4}개로 나눔: 책이 나열한 조각도 {gpt4}개. "
        f"{mixtral}개는 Mixtral tokenizer의 결과(\"'t\"를 \"'\"와 \"t\"로 나눔)",
        f"GPT-4's tokenizer (cl100k_base) gives {gpt4}, as many as the pieces the book lists; "
        f"{mixtral} is what Mixtral's tokenizer gives (it splits \"'t\" into \"'\" and \"t\")",
    ))  # fmt: skip


@check("gpt4-example-pieces")
def _gpt4_example_pieces(claim: Claim) -> Check:
    from aieng.tokens import split

    measured = _shown(split(SENTENCE, "gpt-4").pieces)
    ok = measured == claim.book
    return Check(measured, _verdict(ok), (
        "책이 나열한 8개 조각이 GPT-4의 실제 분할과 같음" if ok else "GPT-4의 실제 분할이 다름",
        "the 8 pieces the book lists are GPT-4's real split" if ok else "GPT-4 splits it otherwise",
    ))  # fmt: skip


@check("gpt4-cant-tokens")
def _gpt4_cant(claim: Claim) -> Check:
    from aieng.tokens import split

    s = split("can't", "gpt-4")
    ok = s.pieces == ("can", "'t") and s.count == claim.book
    ids = " ".join(map(str, s.ids))
    return Check(s.count, _verdict(ok), (
        f"GPT-4: {' | '.join(s.pieces)} (id {ids})", f"GPT-4: {' | '.join(s.pieces)} (ids {ids})",
    ))  # fmt: skip


@check("cooking-split")
def _cooking(claim: Claim) -> Check:
    from aieng.tokens import split

    alone, spaced = split("cooking", "gpt-4"), split(" cooking", "gpt-4")
    gpt4, mixtral = _joined(alone.pieces), _joined(split("cooking", "mixtral").pieces)
    measured = _shown(alone.pieces)
    return Check(measured, _verdict(measured == claim.book), (
        f'GPT-4는 "cooking"을 {gpt4}로, 앞에 공백이 있는 " cooking"은 토큰 {spaced.count}개로 '
        f"나눔; Mixtral은 {mixtral}. 어느 쪽도 cook + ing가 아님",
        f'GPT-4 splits "cooking" into {gpt4} and " cooking" (with its space) into '
        f"{spaced.count} token; Mixtral gives {mixtral}. Neither gives cook + ing",
    ))  # fmt: skip


@check("chatgpting-split")
def _chatgpting(claim: Claim) -> Check:
    from aieng.tokens import split

    gpt4, mixtral = split("chatgpting", "gpt-4"), split("chatgpting", "mixtral")
    measured = _shown(gpt4.pieces)
    both = f"GPT-4: {_joined(gpt4.pieces)}, Mixtral: {_joined(mixtral.pieces)}"
    return Check(measured, _verdict(measured == claim.book), (
        f'{both}. 두 tokenizer 모두 "chatgpt" 토큰이 없어 더 잘게 나누지만, "ing"는 따로 떨어짐',
        f'{both}. Neither has a "chatgpt" token, so the word is cut finer, but "ing" does come '
        "apart",
    ))  # fmt: skip


@check("mixtral-vocab")
def _mixtral_vocab(claim: Claim) -> Check:
    from aieng.tokens import vocabulary

    v = vocabulary("mixtral")
    return Check(v.used, _verdict(v.used == claim.book), (
        f"tokenizer.model.v1의 조각 {v.used:,}개: 특수 토큰 {len(v.special)}개"
        f"(<unk>, <s>, </s>)와 바이트 조각 {v.byte_pieces}개 포함",
        f"tokenizer.model.v1 holds {v.used:,} pieces, including {len(v.special)} special "
        f"tokens (<unk>, <s>, </s>) and {v.byte_pieces} byte pieces",
    ))  # fmt: skip


@check("gpt4-vocab")
def _gpt4_vocab(claim: Claim) -> Check:
    from aieng.tokens import vocabulary

    v = vocabulary("gpt-4")
    return Check(v.ordinary, _verdict(v.ordinary == claim.book), (
        f"cl100k_base의 일반 토큰이 {v.ordinary:,}개(id 0–{v.ordinary - 1:,}). 특수 토큰 "
        f"{len(v.special)}개(<|endoftext|> 등)를 더하면 {v.used:,}개, 가장 큰 id는 {v.size - 1:,}",
        f"cl100k_base has {v.ordinary:,} ordinary tokens (ids 0–{v.ordinary - 1:,}); with its "
        f"{len(v.special)} special tokens (<|endoftext|> etc.) {v.used:,}, the largest id being "
        f"{v.size - 1:,}",
    ))  # fmt: skip


# --- measuring the site's own text: 1.1/language-models.md#tokens -------------------------------


@check("gpt4-words-per-token")
def _words_per_token(claim: Claim) -> Check:
    m = measure_chapter("en")
    result = approx(claim, m.words_per_token(), (
        f"이 사이트 영어 본문의 단어 {m.words:,}개 / GPT-4 토큰 {m.tokens['gpt-4']:,}개",
        f"this site's English text: {m.words:,} words / {m.tokens['gpt-4']:,} GPT-4 tokens",
    ))  # fmt: skip
    prose_only = measure_chapter("en", code=False).words_per_token()
    plays = measure_shakespeare().words_per_token()
    return Check(result.measured, result.verdict, (
        f"{result.reason[0]}. 비교: 코드 블록을 뺀 본문 {prose_only:.2f}, 셰익스피어 희곡 "
        f"{plays:.2f}. 목록 기호, 화살표, 따옴표는 토큰이지만 단어가 아님",
        f"{result.reason[1]}. For comparison: the prose without code blocks {prose_only:.2f}, "
        f"Shakespeare's plays {plays:.2f}; list marks, arrows and quotes are tokens, not words",
    ))  # fmt: skip


@check("gpt4-words-per-100-tokens")
def _words_per_100(claim: Claim) -> Check:
    return approx(claim, 100 * measure_chapter("en").words_per_token(), (
        "이 사이트 영어 본문에서 GPT-4 토큰 100개당 단어 수",
        "words per 100 GPT-4 tokens of this site's English text",
    ))  # fmt: skip


@check("char-token-word-order")
def _char_token_word(claim: Claim) -> Check:
    from aieng.prose import units

    u = units()
    per_token, per_word = u.chars / u.count["gpt-4"], u.chars / u.count["word"]
    measured = f"1 < {per_token:.2f} < {per_word:.2f}"
    return Check(measured, _verdict(1 < per_token < per_word), (
        f"영어 본문에서 단위 하나가 담는 글자 수: 문자 1, GPT-4 토큰 {per_token:.2f}, "
        f"단어(단어 tokenizer의 단위) {per_word:.2f}",
        f"characters per unit in the English text: character 1, GPT-4 token {per_token:.2f}, "
        f"word (a word tokenizer's unit) {per_word:.2f}",
    ))  # fmt: skip


@check("ko-en-tokens-gpt4", "ko-en-tokens-mixtral")
def _ko_en_tokens(claim: Claim) -> Check:
    name = "gpt-4" if claim.id.endswith("gpt4") else "mixtral"
    return Check(
        measure_chapter("ko").tokens[name] / measure_chapter("en").tokens[name], "measured"
    )


@check("ko-en-chars")
def _ko_en_chars(claim: Claim) -> Check:
    return Check(measure_chapter("ko").chars / measure_chapter("en").chars, "measured")


@check("en-chapter-words")
def _en_words(claim: Claim) -> Check:
    return Check(measure_chapter("en").words, "measured")


@check("en-chapter-gpt4-tokens", "ko-chapter-gpt4-tokens")
def _chapter_tokens(claim: Claim) -> Check:
    return Check(measure_chapter(claim.id[:2]).tokens["gpt-4"], "measured")


@check("mixtral-example-tokens")
def _mixtral_example(claim: Claim) -> Check:
    from aieng.tokens import split

    return Check(split(SENTENCE, "mixtral").count, "measured")


# --- the Dancing Men: 1.1/language-models.md#historical-background --------------------------------


@check("most-common-letter-e")
def _letter_e(claim: Claim) -> Check:
    from aieng import shannon

    found = [("셰익스피어 희곡", "Shakespeare's plays", shannon.analyse("shakespeare").letters)]
    try:
        found.append(
            ("이 사이트 영어 본문", "this site's English", shannon.analyse("site-en").letters)
        )
    except FileNotFoundError:
        pass
    ok = all(s.most_common.upper() == claim.book for *_, s in found)

    def top(s):  # the six commonest letters and E's share
        return f"{s.ranking[:6].upper()} (E {s.frequencies['e']:.1%})"

    return Check(found[0][2].most_common.upper(), _verdict(ok), (
        "가장 흔한 글자부터: " + ", ".join(f"{ko} {top(s)}" for ko, _, s in found),
        "most common letters first: " + ", ".join(f"{en} {top(s)}" for _, en, s in found),
    ))  # fmt: skip


_DATE = ("출판 연도는 서지 사항이라 여기서 계산할 수 없음",
         "a publication date: a bibliographic fact that nothing here can compute")  # fmt: skip


@check("dancing-men-year", "shannon-year")
def _dates(claim: Claim) -> Check:
    return external(*_DATE)


# --- labelling costs: 1.1/self-supervision.md -----------------------------------------------------


@check("imagenet-images", "imagenet-categories")
def _imagenet(claim: Claim) -> Check:
    return external(
        "데이터셋의 크기는 외부 사실; 레이블 비용과 CLIP 비교는 책의 이 값을 입력으로 씀",
        "the size of a dataset is an outside fact; the labeling costs and the CLIP comparison "
        "use the book's figure as their input",
    )


@check("label-cost-1m")
def _label_cost(claim: Claim) -> Check:
    per_image, images = claim.input("per_image"), book_value("imagenet-images")
    how = f"${per_image:.2f} × {images:,.0f}"
    return ratio(claim, per_image * images, (f"{how} 이미지", f"{how} images"))


@check("label-cost-cross-check")
def _label_cross_check(claim: Claim) -> Check:
    people, one = claim.input("people"), book_value("label-cost-1m")
    how = f"{people:.0f} × ${number(one)}"
    return ratio(claim, people * one, (f"{how} (한 사람분)", f"{how} (one person's cost)"))


@check("label-cost-1m-categories")
def _label_categories(claim: Claim) -> Check:
    images, categories = book_value("imagenet-images"), book_value("imagenet-categories")
    per_category = images / categories  # as in ImageNet
    target = claim.input("categories")
    per_image = _input("label-cost-1m", "per_image")
    cost = per_image * per_category * target
    return ratio(claim, cost, (
        f"카테고리당 이미지 {per_category:,.0f}장(ImageNet처럼) × {target:,.0f} 카테고리 "
        f"× ${per_image:.2f}",
        f"{per_category:,.0f} images per category (as in ImageNet) × {target:,.0f} categories "
        f"× ${per_image:.2f}",
    ))  # fmt: skip


@check("self-supervision-samples")
def _samples(claim: Claim) -> Check:
    from aieng.tokens import next_token_pairs

    n = {name: len(next_token_pairs(STREET_FOOD, name)) for name in ("word", "gpt-4", "mixtral")}
    return Check(n["word"], _verdict(set(n.values()) == {claim.book}), (
        f"단어로 {n['word']}개, GPT-4 토큰으로 {n['gpt-4']}개, Mixtral 토큰으로 {n['mixtral']}개: "
        "토큰 5개 각각 + <EOS>",
        f"{n['word']} with words, {n['gpt-4']} with GPT-4 tokens, {n['mixtral']} with Mixtral "
        "tokens: one per token (5) + <EOS>",
    ))  # fmt: skip


@check("supervised-cost-1m-labels")
def _supervised_cost(claim: Claim) -> Check:
    per_label, labels = claim.input("per_label"), claim.input("labels")
    how = f"${per_label:.0f} × {labels:,.0f}"
    return ratio(claim, per_label * labels, (how, how))


# --- model sizes: 1.1/scaling-laws.md, 1.1/summary.md ---------------------------------------------


@check("gpt1-params", "gpt2-params", "gpt3-params")
def _published_size(claim: Claim) -> Check:
    return external(
        "모델을 만든 곳이 발표한 값; 여기서 계산할 수 없음",
        "published by the model's makers; nothing here computes it",
    )


@check("gpt4-params")
def _gpt4_size(claim: Claim) -> Check:
    return external(
        "OpenAI가 발표하지 않은 추정치; 확인할 방법이 없음",
        "an estimate: OpenAI has not published GPT-4's size, so nothing can confirm it",
    )


@check("gpt1-to-gpt2", "gpt1-to-gpt3", "gpt1-to-gpt4")
def _growth(claim: Claim) -> Check:
    target = claim.id.rsplit("-", 1)[1]  # "gpt2"
    measured = book_value(f"{target}-params") / book_value("gpt1-params")
    sizes = f"{_book_text(f'{target}-params')} / {_book_text('gpt1-params')}"
    return ratio(claim, measured, (f"책의 크기로 {sizes}", f"from the book's sizes, {sizes}"))


@check("cot-15-percent-of-80")
def _fifteen_percent(claim: Claim) -> Check:
    percent, of = claim.input("percent"), claim.input("of")
    how = f"{percent / 100:.2f} × {of:.0f}"
    return ratio(claim, percent / 100 * of, (how, how))


# --- CLIP: 1.1/multimodal.md#clip -----------------------------------------------------------------


@check("clip-pairs")
def _clip_pairs(claim: Claim) -> Check:
    return external(
        "CLIP 논문에 발표된 값", "published in the CLIP paper; nothing here computes it"
    )


@check("clip-vs-imagenet")
def _clip_vs_imagenet(claim: Claim) -> Check:
    pairs, images = book_value("clip-pairs"), book_value("imagenet-images")
    return ratio(claim, pairs / images, (
        f"CLIP 쌍 {pairs:,.0f} / ImageNet 이미지 {images:,.0f} (책의 값)",
        f"CLIP's {pairs:,.0f} pairs / ImageNet's {images:,.0f} images (the book's figures)",
    ))  # fmt: skip


# --- investment: 1.1/ai-engineering.md, 1.1/summary.md --------------------------------------------


@check("goldman-ai-investment-2025", "us-ai-investment-2025", "us-education-budget")
def _forecasts(claim: Claim) -> Check:
    return external(
        "전망치와 예산은 외부 자료; 여기서 확인할 수 없음",
        "a forecast or a budget from outside sources; nothing here can check it",
    )


@check("us-ai-vs-education")
def _us_vs_education(claim: Claim) -> Check:
    ai, education = book_value("us-ai-investment-2025"), book_value("us-education-budget")
    share = ai / education
    numerator, denominator = str(claim.book).split("/")
    ok = abs(share - int(numerator) / int(denominator)) < 1e-9
    measured = claim.book if ok else f"{share:.3f}"
    return Check(measured, _verdict(ok), (
        f"${ai:.0f}B / ${education:.0f}B = {share:.4f} = {claim.book}"
        if ok else f"${ai:.0f}B / ${education:.0f}B = {share:.4f}",
        f"${ai:.0f}B / ${education:.0f}B = {share:.4f}" + (f" = {claim.book}" if ok else ""),
    ))  # fmt: skip


@check("sp500-ai-mentions-3x")
def _sp500(claim: Claim) -> Check:
    before, after = claim.input("q2_2022"), claim.input("q2_2023")
    how = f"{after:.0f}% / {before:.0f}%"
    return ratio(claim, after / before, (how, how))


@check("ai-cost-drop-100x")
def _orders_of_magnitude(claim: Claim) -> Check:
    orders = claim.input("orders_of_magnitude")
    return ratio(claim, 10.0**orders, (f"10^{orders:.0f}", f"10^{orders:.0f}"))


@check("runway-gen2-seconds", "sora-max-seconds")
def _product_facts(claim: Claim) -> Check:
    return external(
        "제품의 사양: 여기서 확인할 수 없음", "a product's specification: nothing here can check it"
    )


@check("sp500-stock-ai", "sp500-stock-other", "term-survey-people")
def _reported(claim: Claim) -> Check:
    return external(
        "책이 인용한 조사 결과: 원자료가 여기 없음",
        "a survey result the book reports: its data is not available here",
    )


@check("linkedin-monthly-growth")
def _linkedin(claim: Claim) -> Check:
    return external(
        "LinkedIn의 내부 데이터: 확인할 수 없음", "LinkedIn's own data: nothing here can check it"
    )
