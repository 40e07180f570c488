"""How monitoring names a grant and its reports in headings, sentences and email subjects."""

import re

from grants.awards.models import Award
from grants.monitoring.models import MonitoringReport, ReportKind


def count_words(text: str | None) -> int:
    """Words as the character count component counts them: runs of non-space characters."""
    return len(re.findall(r"\S+", text or ""))


def award_label(award: Award) -> str:
    """The application's reference, or the award's title, for subjects and headings."""
    application = award.application
    if application is not None and application.reference:
        return application.reference
    return award.title or f"Award {award.id}"


def report_title(report: MonitoringReport) -> str:
    if report.kind is ReportKind.END_OF_GRANT:
        return "End-of-grant report"
    return f"Monitoring return: {report.period}" if report.period else "Monitoring return"


def report_name(report: MonitoringReport) -> str:
    """The report as a sentence names it: "end-of-grant report", "monitoring return for April
    to September 2026"."""
    if report.kind is ReportKind.END_OF_GRANT:
        return "end-of-grant report"
    return f"monitoring return for {report.period}" if report.period else "monitoring return"
