"""The text side of search, the same on every database: how a service's words and a citizen's
query become comparable terms, how synonyms rewrite a query, and how matches are highlighted.

A term is a lowercase word stemmed by Sastrawi (kelahiran → lahir, perizinan → izin), so word
forms do not matter. Words joined by a hyphen or slash ("KTP-el", "PBB-P2") give each part and
the parts run together ("ktpel"), so "ktp el", "KTP-el" and "ktpel" all find "KTP-el".
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

# A word, or words joined by hyphens, slashes or dots without spaces ("KTP-el", "AK/I", "S.Kom").
_GROUP = re.compile(r"[^\W_]+(?:[-/.][^\W_]+)*")
_WORD = re.compile(r"[^\W_]+")
MAX_QUERY_TERMS = 8

# Words of how people ask rather than what they ask for: dropped from a query while other
# words remain ("syarat membuat KTP" → "KTP"). Stems, since queries are stemmed.
QUERY_STOPWORDS = frozenset(
    [
        "dan",
        "di",
        "ke",
        "dari",
        "yang",
        "untuk",
        "atau",
        "dengan",
        "bagi",
        "pada",
        "cara",
        "syarat",
        "gimana",
        "bagaimana",
        "buat",
        "bikin",
        "urus",
        "mau",
        "ingin",
        "saya",
        "aku",
        "kami",
        "apa",
        "mana",
        "dimana",
        "tolong",
        "mohon",
        "layan",
        "pelayanan",
    ]
)


@lru_cache(maxsize=1)
def _stemmer():
    return StemmerFactory().create_stemmer()


def fold(text: str) -> str:
    """Lowercase without accents, so "Akta" and "ákta" are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Sastrawi stem of one folded word; digits and short words stay as they are."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return _stemmer().stem(word) or word


def word_groups(text: str) -> list[list[str]]:
    """Folded words of ``text``, grouped where they were joined by a hyphen or slash."""
    return [_WORD.findall(group) for group in _GROUP.findall(fold(text))]


def index_terms(text: str) -> list[str]:
    """Terms a service's text is found by: every stemmed word, and each joined group run
    together (unstemmed) as well."""
    terms: list[str] = []
    for group in word_groups(text):
        terms.extend(stem(word) for word in group)
        if len(group) > 1:
            terms.append("".join(group))
    return terms


def entry_terms(service) -> dict[str, str]:
    """The stored terms of a service (a model instance, current or from a migration): its
    name, its agency, and the rest a citizen may search by."""
    body = " ".join(
        [service.product, service.requirements, service.unit, service.procedure, service.cost, service.code]
    )
    return {
        "name_terms": " ".join(index_terms(service.name)),
        "agency_terms": " ".join(index_terms(f"{service.agency.name} {service.agency.code}")),
        "body_terms": " ".join(index_terms(body)),
    }


def query_words(text: str) -> list[str]:
    """The folded words of a query, joined groups split into their parts."""
    return [word for group in word_groups(text) for word in group]


@dataclass(frozen=True)
class Synonym:
    """``words`` (folded, as typed) stand for ``replacement`` (folded words)."""

    words: tuple[str, ...]
    replacement: tuple[str, ...]


def synonym_rules(pairs: Iterable[tuple[str, str]]) -> list[Synonym]:
    """Rules from (term, replacement) pairs, longest term first so "izin usaha" wins over
    "izin". A term written with hyphens also matches its parts run together ("e-KTP" → "ektp")."""
    rules: dict[tuple[str, ...], Synonym] = {}
    for term, replacement in pairs:
        words, target = tuple(query_words(term)), tuple(query_words(replacement))
        if not words or not target or words == target:
            continue
        rules.setdefault(words, Synonym(words, target))
        if len(words) > 1:
            rules.setdefault(("".join(words),), Synonym(("".join(words),), target))
    return sorted(rules.values(), key=lambda rule: -len(rule.words))


def apply_synonyms(words: Sequence[str], rules: Sequence[Synonym]) -> list[str]:
    """``words`` with every synonym replaced, left to right, longest match first."""
    result: list[str] = []
    position = 0
    while position < len(words):
        for rule in rules:
            if tuple(words[position : position + len(rule.words)]) == rule.words:
                result.extend(rule.replacement)
                position += len(rule.words)
                break
        else:
            result.append(words[position])
            position += 1
    return result


def query_terms(words: Sequence[str]) -> list[str]:
    """Stemmed terms of query words, without repeats and without question words when other
    words remain."""
    terms = list(dict.fromkeys(stem(word) for word in words))
    meaningful = [term for term in terms if term not in QUERY_STOPWORDS]
    return (meaningful or terms)[:MAX_QUERY_TERMS]


def alternatives(text: str, rules: Sequence[Synonym]) -> list[tuple[list[str], bool]]:
    """The ways to read a query: as typed, and with its synonyms applied (flagged True) when
    that differs. Each is a list of terms; empty readings are left out."""
    words = query_words(text)
    readings: list[tuple[list[str], bool]] = []
    typed = query_terms(words)
    if typed:
        readings.append((typed, False))
    rewritten = query_terms(apply_synonyms(words, rules))
    if rewritten and rewritten != typed:
        readings.append((rewritten, True))
    return readings


def term_matches(term: str, query_term: str) -> bool:
    """A query term matches a term it begins (so "akt" finds "akta" while typing); one- and
    two-letter query terms must match whole."""
    return term == query_term if len(query_term) < 3 else term.startswith(query_term)


def highlight(text: str, query: Sequence[str]) -> SafeString:
    """``text`` escaped, with each word (or joined group) that a query term matches wrapped
    in ``<mark>``."""
    pieces: list[str] = []
    cursor = 0
    for match in _GROUP.finditer(text):
        group = _WORD.findall(fold(match.group()))
        candidates = [stem(word) for word in group] + group + (["".join(group)] if len(group) > 1 else [])
        if any(term_matches(candidate, term) for candidate in candidates for term in query):
            pieces.append(escape(text[cursor : match.start()]))
            pieces.append(f"<mark>{escape(match.group())}</mark>")
            cursor = match.end()
    pieces.append(escape(text[cursor:]))
    return mark_safe("".join(pieces))  # noqa: S308 -- every piece of text above is escaped
