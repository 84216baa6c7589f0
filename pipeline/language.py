"""Language stage: ISO 639-1 code of the article's text (title + body).

Mixed text gets the majority language: letters are counted per script first (Devanagari vs Latin vs
other); Devanagari-majority text is Hindi (the feeds we read publish Hindi, not Marathi or Nepali);
Latin- and other-script text goes to py3langid, which tells English from other Latin-script languages.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.article import Article

STAGE = "language"
_DEVANAGARI = re.compile(r"[\u0900-\u0963\u0966-\u097F\uA8E0-\uA8FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_LETTER = re.compile(r"[^\W\d_]")
SAMPLE_CHARS = 3000  # script counts: enough for a stable majority; keeps the cost per article flat
LANGID_CHARS = (
    1000  # py3langid is the costly part; a thousand letters is plenty to tell Latin languages apart
)


# Languages py3langid may answer: those of India and its neighbours, and the major languages of world
# news. Without a restriction it calls short English headlines Shona or Nigerian Pidgin.
CANDIDATE_LANGUAGES = (
    "en",
    "hi",
    "ur",
    "bn",
    "mr",
    "ne",
    "ta",
    "te",
    "gu",
    "pa",
    "ml",
    "kn",
    "or",
    "zh",
    "ja",
    "ko",
    "ar",
    "fa",
    "ru",
    "fr",
    "de",
    "es",
    "pt",
    "it",
    "nl",
)


@lru_cache(maxsize=1)
def _identifier():
    """A py3langid identifier of our own (the module-level one is shared), limited to the candidates."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(CANDIDATE_LANGUAGES))
    return identifier


def detect_language(text: str | None) -> str | None:
    """The majority language of `text` as ISO 639-1 ("en", "hi", ...), or None when it has no letters."""
    if not text:
        return None
    sample = text[:SAMPLE_CHARS]
    devanagari = len(_DEVANAGARI.findall(sample))
    latin = len(_LATIN.findall(sample))
    letters = len(_LETTER.findall(sample))
    if letters == 0:
        return None
    if devanagari >= latin and devanagari * 2 >= letters - devanagari - latin:
        return "hi"
    if latin > devanagari:
        # Only the Latin part decides between Latin-script languages (a Hindi quote would mislead langid).
        sample = " ".join(re.findall(r"[A-Za-z\u00C0-\u024F'’-]+", sample))
    lang, _prob = _identifier().classify(sample[:LANGID_CHARS])
    return lang


def detect(article: Article) -> Article:
    """Set `language` from the title and the clean text."""
    text = f"{article.title or ''}\n{article.text or ''}"
    return article.replace(language=detect_language(text))
