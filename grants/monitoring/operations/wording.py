"""How monitoring names a grant and its reports in headings, sentences and email subjects."""

import re

from grants.awards.models import Award
from grants.core.formatting import WELSH, WELSH_MONTHS
from grants.core.translatable import N_, Words
from grants.monitoring.models import MonitoringReport, ReportKind

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_PERIOD = re.compile(r"^(?P<first>[A-Z][a-z]+)(?: (?P<first_year>\d{4}))? to "
                     r"(?P<last>[A-Z][a-z]+) (?P<year>\d{4})$")


class Period(str):
    """A report's period as it is kept ("April to September 2026"), said in the page's
    language where shown: "Ebrill – Medi 2026" (a dash, since "i" would mutate the month)."""

    def said_in(self, language: str) -> str:
        match = _PERIOD.match(self)
        if language != WELSH or match is None or not {match["first"], match["last"]} <= set(
                _MONTHS):
            return str(self)

        def month(name: str) -> str:
            return WELSH_MONTHS[_MONTHS.index(name)]

        first = month(match["first"]) + (f" {match['first_year']}" if match["first_year"]
                                         else "")
        return f"{first} – {month(match['last'])} {match['year']}"


def count_words(text: str | None) -> int:
    """Words as the character count component counts them: runs of non-space characters."""
    return len(re.findall(r"\S+", text or ""))


def award_label(award: Award) -> str:
    """The application's reference, or the award's title, for subjects and headings."""
    application = award.application
    if application is not None and application.reference:
        return application.reference
    return award.title or f"Award {award.id}"


def report_title(report: MonitoringReport) -> Words:
    """The report's heading, in marked words (said in the page's language where shown)."""
    if report.kind is ReportKind.END_OF_GRANT:
        return Words(N_("End-of-grant report"))
    return (Words(N_("Monitoring return: %(period)s"), period=Period(report.period))
            if report.period else Words(N_("Monitoring return")))


def report_name(report: MonitoringReport) -> Words:
    """The report as a sentence names it: "end-of-grant report", "monitoring return for April
    to September 2026"."""
    if report.kind is ReportKind.END_OF_GRANT:
        return Words(N_("end-of-grant report"))
    return (Words(N_("monitoring return for %(period)s"), period=Period(report.period))
            if report.period else Words(N_("monitoring return")))
