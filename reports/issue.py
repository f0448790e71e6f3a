"""Issuing the SKM report and the regency recap: each production is registered as an issued
document (code, hash, key figures) whose verification stamp is printed on every page."""

from typing import Any

from accounts.models import User
from agencies.models import Agency
from documents.models import DocumentKind, IssuedDocument
from documents.services import document_issue
from reports.recap import render_regency_recap
from reports.skm_report import render_skm_report
from surveys import selectors
from surveys.index import IndexResult
from surveys.periods import Period


def key_figures(index: IndexResult) -> dict[str, Any]:
    """What the verification page shows of a result: respondents, score and grade."""
    return {
        "respondents": index.respondents,
        "score": None if index.score is None else str(index.score),
        "grade": index.grade or "",
    }


def skm_report_issue(
    *, agency: Agency, period: Period, actor: User | None, language: str | None = None
) -> tuple[IssuedDocument, bytes]:
    """Produce and register the agency's SKM report for ``period``; an earlier issue of the same
    agency and period is marked superseded."""
    found = selectors.results(scope=selectors.Scope(agency=agency), start=period.start, end=period.end)
    return document_issue(
        kind=DocumentKind.SKM_REPORT,
        subject=f"skm_report:{agency.code}:{period.key}",
        agency=agency,
        period=period,
        figures=key_figures(found.index),
        actor=actor,
        render=lambda stamp: render_skm_report(agency=agency, period=period, stamp=stamp, language=language),
    )


def regency_recap_issue(
    *, period: Period, actor: User | None, language: str | None = None
) -> tuple[IssuedDocument, bytes]:
    """Produce and register the regency recap for ``period``."""
    found = selectors.results(scope=selectors.Scope(), start=period.start, end=period.end)
    return document_issue(
        kind=DocumentKind.RECAP,
        subject=f"recap:{period.key}",
        period=period,
        figures=key_figures(found.index),
        actor=actor,
        render=lambda stamp: render_regency_recap(period=period, stamp=stamp, language=language),
    )
