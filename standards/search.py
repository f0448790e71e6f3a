"""Service search: one entry point, ``service_search``, whatever the database.

Candidates come from the database's own full-text index over each service's terms (PostgreSQL:
a GIN index on ``to_tsvector('simple', …)``; SQLite: an FTS5 table), every term of a reading of
the query present, each as a prefix. They are ranked here, the same on both: most query terms
overall, then most in the service's name, then a synonym's reading over the typed one, then,
among names that match, the shorter (more specific) one, then terms in the agency's name (the
shorter name first), then in the rest (requirements, product…), then the more used service. When no service has
every term, the services with the most of them follow, marked as partial, and a spelling
suggestion is offered.
"""

import difflib
from dataclasses import dataclass, field
from fractions import Fraction

from django.db import connection
from django.utils.safestring import SafeString

from standards.models import SearchEntry, Service, Synonym
from standards.search_text import (
    alternatives,
    entry_terms,
    fold,
    highlight,
    query_words,
    synonym_rules,
    term_matches,
)

MAX_CANDIDATES = 500
MAX_RESULTS = 50


@dataclass
class SearchHit:
    service: Service
    name: SafeString
    agency: SafeString
    snippet: SafeString | None
    rank: tuple = field(repr=False)


@dataclass
class SearchResult:
    hits: list[SearchHit]
    partial: bool = False
    suggestion: str | None = None


def search_entry_refresh(*, service: Service) -> None:
    """Store the terms ``service`` is found by (called whenever it or its agency changes)."""
    SearchEntry.objects.update_or_create(service=service, defaults=entry_terms(service))


def _candidate_ids(readings: list[list[str]], *, every: bool) -> list[int]:
    """Ids of services whose terms contain every term (or, ``every`` False, any term) of any
    reading, from the database's full-text index."""
    postgres = connection.vendor == "postgresql"
    prefix, both, either = (":*", " & ", " | ") if postgres else ("*", " AND ", " OR ")

    def term_query(term: str) -> str:
        # Alphanumeric terms only reach here; short ones must match whole, as in term_matches.
        return (term if postgres else f'"{term}"') + (prefix if len(term) > 2 else "")

    tsquery = either.join("(" + (both if every else either).join(map(term_query, terms)) + ")" for terms in readings)
    if postgres:
        sql = (
            "SELECT service_id FROM standards_searchentry WHERE to_tsvector('simple', "
            "name_terms || ' ' || agency_terms || ' ' || body_terms) @@ to_tsquery('simple', %s) LIMIT %s"
        )
    else:
        sql = "SELECT rowid FROM standards_searchentry_fts WHERE standards_searchentry_fts MATCH %s LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [tsquery, MAX_CANDIDATES])
        return [row[0] for row in cursor.fetchall()]


def _weight(field_terms: list[str], query: list[str]) -> Fraction:
    """How well a field matches: each query term counts 1 when it is a whole term of the
    field, a half when it only begins one, as a share of the query."""
    score = sum(2 if term in field_terms else int(any(term_matches(t, term) for t in field_terms)) for term in query)
    return Fraction(score, 2 * len(query))


def _rank(entry: SearchEntry, terms: list[str], synonym: bool, popularity: int) -> tuple:
    name, agency, body = entry.name_terms.split(), entry.agency_terms.split(), entry.body_terms.split()
    in_name, in_agency = _weight(name, terms), _weight(agency, terms)
    return (
        -_weight(name + agency + body, terms),
        -in_name,
        -int(synonym),
        # Among names that match, the shorter is the more specific; otherwise length says nothing.
        len(name) if in_name else 0,
        -in_agency,
        len(agency) if in_agency else 0,
        -_weight(body, terms),
        -popularity,
        entry.service.name,
        entry.service.code,
    )


def _snippet(service: Service, terms: list[str]) -> SafeString | None:
    """The first line of the product or requirements that a query term matches."""
    for text in (service.product, service.requirements):
        for line in text.splitlines():
            marked = highlight(line[:200], terms)
            if "<mark>" in marked:
                return marked
    return None


def _suggestion(words: list[str], services: list[Service]) -> str | None:
    """The query with each word no service name knows replaced by the closest one that does."""
    vocabulary = sorted({w for s in services for w in query_words(f"{s.name} {s.agency.name}") if len(w) > 2})
    known = set(vocabulary)
    changed, suggested = False, []
    for word in words:
        if word in known or len(word) < 3:
            suggested.append(word)
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        suggested.append(close[0] if close else word)
        changed |= bool(close)
    return " ".join(suggested) if changed else None


def service_search(*, query: str, services, usage: dict[int, int] | None = None) -> SearchResult:
    """Services of ``services`` (a queryset of what the reader may see) matching ``query``,
    best first, with their names and agencies highlighted."""
    rules = synonym_rules(Synonym.objects.values_list("term", "replacement"))
    readings = alternatives(query, rules)
    if not readings:
        return SearchResult(hits=[])
    terms_only = [terms for terms, _synonym in readings]
    partial = False
    ids = _candidate_ids(terms_only, every=True)
    if not ids:
        partial = True
        ids = _candidate_ids(terms_only, every=False)
    entries = {
        entry.service_id: entry
        for entry in SearchEntry.objects.filter(service__in=services.filter(pk__in=ids)).select_related(
            "service__agency"
        )
    }
    usage = usage or {}
    ranked = []
    for entry in entries.values():
        best = min(
            (_rank(entry, terms, synonym, usage.get(entry.service_id, 0)), index)
            for index, (terms, synonym) in enumerate(readings)
        )
        ranked.append((*best, entry))
    ranked.sort(key=lambda item: item[:2])
    hits = []
    for rank, reading, entry in ranked[:MAX_RESULTS]:
        terms = readings[reading][0]
        service = entry.service
        name = highlight(service.name, terms)
        hits.append(
            SearchHit(
                service=service,
                name=name,
                agency=highlight(service.agency.name, terms),
                snippet=None if _weight(entry.name_terms.split(), terms) == 1 else _snippet(service, terms),
                rank=rank,
            )
        )
    suggestion = None
    if partial or not hits:
        suggestion = _suggestion(query_words(query), list(services.select_related("agency")))
        if suggestion and fold(suggestion) == fold(query):
            suggestion = None
    return SearchResult(hits=hits, partial=partial and bool(hits), suggestion=suggestion)
