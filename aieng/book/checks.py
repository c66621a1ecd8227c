"""How each claim of chapter 1.1 is checked (the claims themselves: ``data/claims-1.1.toml``).

One function per claim (or per family of claims), registered with
:func:`aieng.book.claims.check`. Each takes the :class:`~aieng.book.claims.Claim` (the book's
value and stated inputs come from there, never typed twice) and returns a
:class:`~aieng.book.claims.Check`: the computed value, the verdict and a
:class:`~aieng.book.claims.Reason` that names its wording in ``aieng/data/strings.toml``
(``[ledger]``) with the values it shows. Tokenizer results come through cached functions, so a
warm build loads no tokenizer.

Example:
    >>> from aieng.book.claims import claims
    >>> from aieng.book.ledger import reason_text
    >>> reason_text(_label_cost(claims()["label-cost-1m"]).reason, "en")
    '$0.05 × 1,000,000 images = 50,000'
"""

from __future__ import annotations

from aieng.book.claims import (
    Check,
    Claim,
    approx,
    because,
    book_value,
    check,
    external,
    number,
    ratio,
)
from aieng.book.prose import measure_chapter, measure_shakespeare

SENTENCE = "I can't wait to build AI applications"
STREET_FOOD = "I love street food."


def _joined(pieces: tuple[str, ...]) -> str:
    return " + ".join(p.strip() or p for p in pieces)


def _shown(pieces: tuple[str, ...]) -> str:
    """Tokens as the ledger shows them: ``I + ␣can + 't`` (a space drawn as ␣)."""
    from aieng.book.tokenview import show_space

    return " + ".join(show_space(p) for p in pieces)


def _verdict(ok: bool) -> str:
    return "holds" if ok else "differs"


def _input(id: str, name: str) -> float:
    """A stated input of another claim."""
    from aieng.book.claims import claims

    return claims()[id].input(name)


def _book_text(id: str) -> str:
    """The book's figure of another claim, as the book writes it."""
    from aieng.book.claims import claims

    return str(claims()[id].book)


# --- tokens: 1.1/language-models.md#tokens --------------------------------------------------------


@check("gpt4-example-tokens")
def _gpt4_example_tokens(claim: Claim) -> Check:
    from aieng.text.tokens import split

    gpt4, mixtral = split(SENTENCE, "gpt-4").count, split(SENTENCE, "mixtral").count
    reason = because("gpt4_example_tokens", gpt4=gpt4, mixtral=mixtral)
    return Check(gpt4, _verdict(gpt4 == claim.book), reason)


@check("gpt4-example-pieces")
def _gpt4_example_pieces(claim: Claim) -> Check:
    from aieng.text.tokens import split

    measured = _shown(split(SENTENCE, "gpt-4").pieces)
    ok = measured == claim.book
    n = len(split(SENTENCE, "gpt-4").pieces)
    reason = because("pieces_same", n=n) if ok else because("pieces_differ")
    return Check(measured, _verdict(ok), reason)


@check("gpt4-cant-tokens")
def _gpt4_cant(claim: Claim) -> Check:
    from aieng.text.tokens import split

    s = split("can't", "gpt-4")
    ok = s.pieces == ("can", "'t") and s.count == claim.book
    ids = " ".join(map(str, s.ids))
    return Check(s.count, _verdict(ok), because("cant", pieces=" | ".join(s.pieces), ids=ids))


@check("cooking-split")
def _cooking(claim: Claim) -> Check:
    from aieng.text.tokens import split

    alone, spaced = split("cooking", "gpt-4"), split(" cooking", "gpt-4")
    gpt4, mixtral = _joined(alone.pieces), _joined(split("cooking", "mixtral").pieces)
    measured = _shown(alone.pieces)
    reason = because("cooking", gpt4=gpt4, spaced=spaced.count, mixtral=mixtral)
    return Check(measured, _verdict(measured == claim.book), reason)


@check("chatgpting-split")
def _chatgpting(claim: Claim) -> Check:
    from aieng.text.tokens import split

    gpt4, mixtral = split("chatgpting", "gpt-4"), split("chatgpting", "mixtral")
    measured = _shown(gpt4.pieces)
    both = f"GPT-4: {_joined(gpt4.pieces)}, Mixtral: {_joined(mixtral.pieces)}"
    return Check(measured, _verdict(measured == claim.book), because("chatgpting", both=both))


@check("mixtral-vocab")
def _mixtral_vocab(claim: Claim) -> Check:
    from aieng.text.tokens import vocabulary

    v = vocabulary("mixtral")
    reason = because("mixtral_vocab", used=v.used, special=len(v.special), byte=v.byte_pieces)
    return Check(v.used, _verdict(v.used == claim.book), reason)


@check("gpt4-vocab")
def _gpt4_vocab(claim: Claim) -> Check:
    from aieng.text.tokens import vocabulary

    v = vocabulary("gpt-4")
    reason = because(
        "gpt4_vocab", ordinary=v.ordinary, last=v.ordinary - 1, special=len(v.special),
        used=v.used, largest=v.size - 1,
    )  # fmt: skip
    return Check(v.ordinary, _verdict(v.ordinary == claim.book), reason)


# --- measuring the site's own text: 1.1/language-models.md#tokens -------------------------------


@check("gpt4-words-per-token")
def _words_per_token(claim: Claim) -> Check:
    m = measure_chapter("en")
    what = because("words_per_token", words=m.words, tokens=m.tokens["gpt-4"])
    result = approx(claim, m.words_per_token(), what)
    prose_only = measure_chapter("en", code=False).words_per_token()
    plays = measure_shakespeare().words_per_token()
    reason = because("words_per_token_compared", first=result.reason, prose=prose_only, plays=plays)
    return Check(result.measured, result.verdict, reason)


@check("gpt4-words-per-100-tokens")
def _words_per_100(claim: Claim) -> Check:
    return approx(claim, 100 * measure_chapter("en").words_per_token(), because("words_per_100"))


@check("char-token-word-order")
def _char_token_word(claim: Claim) -> Check:
    from aieng.book.prose import units

    u = units()
    per_token, per_word = u.chars / u.count["gpt-4"], u.chars / u.count["word"]
    measured = f"1 < {per_token:.2f} < {per_word:.2f}"
    reason = because("char_token_word", per_token=per_token, per_word=per_word)
    return Check(measured, _verdict(1 < per_token < per_word), reason)


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
    from aieng.text.tokens import split

    return Check(split(SENTENCE, "mixtral").count, "measured")


# --- the Dancing Men: 1.1/language-models.md#historical-background --------------------------------


@check("most-common-letter-e")
def _letter_e(claim: Claim) -> Check:
    from aieng.book import letters as shannon

    found = [("shakespeare", shannon.analyse("shakespeare").letters)]
    try:
        found.append(("site-en", shannon.analyse("site-en").letters))
    except FileNotFoundError:
        pass
    ok = all(s.most_common.upper() == claim.book for _, s in found)

    tops = [
        because(
            f"letters_{source.replace('-', '_')}", top=s.ranking[:6].upper(), e=s.frequencies["e"]
        )
        for source, s in found
    ]
    reason = because("most_common_letters", **{f"source{i}": t for i, t in enumerate(tops)})
    if len(tops) == 1:
        reason = because("most_common_letters_one", source0=tops[0])
    return Check(found[0][1].most_common.upper(), _verdict(ok), reason)


@check("dancing-men-year", "shannon-year")
def _dates(claim: Claim) -> Check:
    return external("publication_date")


# --- labelling costs: 1.1/self-supervision.md -----------------------------------------------------


@check("imagenet-images", "imagenet-categories")
def _imagenet(claim: Claim) -> Check:
    return external("dataset_size")


@check("label-cost-1m")
def _label_cost(claim: Claim) -> Check:
    per_image, images = claim.input("per_image"), book_value("imagenet-images")
    return ratio(
        claim, per_image * images, because("label_cost", per_image=per_image, images=images)
    )


@check("label-cost-cross-check")
def _label_cross_check(claim: Claim) -> Check:
    people, one = claim.input("people"), book_value("label-cost-1m")
    how = because("label_cross_check", people=people, one=number(one))
    return ratio(claim, people * one, how)


@check("label-cost-1m-categories")
def _label_categories(claim: Claim) -> Check:
    images, categories = book_value("imagenet-images"), book_value("imagenet-categories")
    per_category = images / categories  # as in ImageNet
    target = claim.input("categories")
    per_image = _input("label-cost-1m", "per_image")
    cost = per_image * per_category * target
    how = because("label_categories", per_category=per_category, target=target, per_image=per_image)
    return ratio(claim, cost, how)


@check("self-supervision-samples")
def _samples(claim: Claim) -> Check:
    from aieng.text.tokens import next_token_pairs

    n = {name: len(next_token_pairs(STREET_FOOD, name)) for name in ("word", "gpt-4", "mixtral")}
    reason = because("samples", word=n["word"], gpt4=n["gpt-4"], mixtral=n["mixtral"])
    return Check(n["word"], _verdict(set(n.values()) == {claim.book}), reason)


@check("supervised-cost-1m-labels")
def _supervised_cost(claim: Claim) -> Check:
    per_label, labels = claim.input("per_label"), claim.input("labels")
    return ratio(
        claim, per_label * labels, because("supervised_cost", per_label=per_label, labels=labels)
    )


# --- model sizes: 1.1/scaling-laws.md, 1.1/summary.md ---------------------------------------------


@check("gpt1-params", "gpt2-params", "gpt3-params")
def _published_size(claim: Claim) -> Check:
    return external("published")


@check("gpt4-params")
def _gpt4_size(claim: Claim) -> Check:
    return external("gpt4_estimate")


@check("gpt1-to-gpt2", "gpt1-to-gpt3", "gpt1-to-gpt4")
def _growth(claim: Claim) -> Check:
    target = claim.id.rsplit("-", 1)[1]  # "gpt2"
    measured = book_value(f"{target}-params") / book_value("gpt1-params")
    sizes = f"{_book_text(f'{target}-params')} / {_book_text('gpt1-params')}"
    return ratio(claim, measured, because("growth", sizes=sizes))


@check("cot-15-percent-of-80")
def _fifteen_percent(claim: Claim) -> Check:
    percent, of = claim.input("percent"), claim.input("of")
    return ratio(claim, percent / 100 * of, because("percent_of", share=percent / 100, of=of))


# --- CLIP: 1.1/multimodal.md#clip -----------------------------------------------------------------


@check("clip-pairs")
def _clip_pairs(claim: Claim) -> Check:
    return external("clip_paper")


@check("clip-vs-imagenet")
def _clip_vs_imagenet(claim: Claim) -> Check:
    pairs, images = book_value("clip-pairs"), book_value("imagenet-images")
    return ratio(claim, pairs / images, because("clip_vs_imagenet", pairs=pairs, images=images))


# --- investment: 1.1/ai-engineering.md, 1.1/summary.md --------------------------------------------


@check("goldman-ai-investment-2025", "us-ai-investment-2025", "us-education-budget")
def _forecasts(claim: Claim) -> Check:
    return external("forecast")


@check("us-ai-vs-education")
def _us_vs_education(claim: Claim) -> Check:
    ai, education = book_value("us-ai-investment-2025"), book_value("us-education-budget")
    share = ai / education
    numerator, denominator = str(claim.book).split("/")
    ok = abs(share - int(numerator) / int(denominator)) < 1e-9
    measured = claim.book if ok else f"{share:.3f}"
    key = "share_equals" if ok else "share"
    return Check(
        measured,
        _verdict(ok),
        because(key, ai=ai, education=education, share=share, book=str(claim.book)),
    )


@check("sp500-ai-mentions-3x")
def _sp500(claim: Claim) -> Check:
    before, after = claim.input("q2_2022"), claim.input("q2_2023")
    return ratio(claim, after / before, because("percent_ratio", after=after, before=before))


@check("ai-cost-drop-100x")
def _orders_of_magnitude(claim: Claim) -> Check:
    orders = claim.input("orders_of_magnitude")
    return ratio(claim, 10.0**orders, because("orders", orders=orders))


@check("runway-gen2-seconds", "sora-max-seconds")
def _product_facts(claim: Claim) -> Check:
    return external("product_spec")


@check("sp500-stock-ai", "sp500-stock-other", "term-survey-people")
def _reported(claim: Claim) -> Check:
    return external("survey")


@check("linkedin-monthly-growth")
def _linkedin(claim: Claim) -> Check:
    return external("linkedin")
