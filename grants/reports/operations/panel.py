"""The paragraphs of the Commissioner's progress report to the Police and Crime Panel: what
each round awarded, what the High Sheriffs identified, and what was funded under each
priority and key aim. As text to copy, Markdown and DOCX."""

import io
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from docx import Document
from sqlalchemy.orm import Session

from grants.core.money import format_pounds
from grants.direct_awards.operations.onward_figures import OnwardSummary
from grants.funds.models import RoundKind
from grants.organisations.models import OrganisationType
from grants.reports.operations import delegated, progress
from grants.reports.operations.plan_period import PlanPeriod, plan_period
from grants.reports.operations.progress import (
    AllocationSummary,
    DirectAwardSummary,
    HighSheriffSummary,
    Initiative,
    RoundSummary,
)
from grants.reports.operations.selection import Selection

logger = logging.getLogger(__name__)

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten")
HIGH_SHERIFF_SUFFIX = " (including High Sheriff awards)"
WHOLE_PRIORITY = "Supporting the priority as a whole"
NO_PRIORITY = "Not linked to a priority"


def _number_words(number: int) -> str:
    return NUMBER_WORDS[number] if 0 <= number < len(NUMBER_WORDS) else str(number)


def round_paragraph(summary: RoundSummary) -> str:
    """"In August 2019, £106,733 was awarded to 27 charities and community groups across the
    <office's short name> who each made a significant contribution to support my strategic
    priorities in relation to 'reducing reoffending' and/or '…'." """
    when = f"In {summary.decided_on:%B %Y}, " if summary.decided_on else ""
    count = summary.organisations_funded
    recipients = ("charity or community group" if count == 1
                  else "charities and community groups")
    made = "who made" if count == 1 else "who each made"
    text = (f"{when}{format_pounds(summary.amount_awarded_pence)} was awarded to {count} "
            f"{recipients} across the {summary.area_name} {made} a significant contribution to "
            "support my strategic priorities")
    if summary.priority_titles:
        text += " in relation to " + " and/or ".join(
            f"'{title.lower()}'" for title in summary.priority_titles)
    return text + "."


def _recipients_noun(types: frozenset[OrganisationType], count: int) -> str:
    partnerships = OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP
    councils = OrganisationType.LOCAL_AUTHORITY
    if types <= {partnerships}:
        nouns = ("community safety partnership", "community safety partnerships")
    elif types <= {councils}:
        nouns = ("council", "councils")
    elif types <= {partnerships, councils}:
        nouns = ("council or community safety partnership",
                 "councils and community safety partnerships")
    else:
        nouns = ("recipient", "recipients")
    return nouns[0] if count == 1 else nouns[1]


def _in_sentence(title: str) -> str:
    """A title inside a sentence: "Cybercrime initiatives" as "cybercrime initiatives", but
    "CCTV in Slough" as it is."""
    if title[1:2].isupper():
        return title
    return title[:1].lower() + title[1:]


def _listed(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _spend_sentences(summary: AllocationSummary) -> list[str]:
    """"Slough CSP invested £74,500 in work towards P3.1 Reduce reoffending by young people,
    and £20,000 towards P1.1 Protect vulnerable people." One sentence per recipient."""
    by_recipient: dict[str, list[str]] = {}
    for spend in summary.spending:
        towards = " and ".join(spend.towards) or "its projects"
        if len(spend.towards) > 1:
            towards += " together"
        first = spend.organisation_name not in by_recipient
        by_recipient.setdefault(spend.organisation_name, []).append(
            f"{format_pounds(spend.spent_pence)} " + ("in work towards " if first else
                                                      "towards ") + towards)
    return [f"{name} invested " + _listed(parts) + "."
            for name, parts in by_recipient.items()]


def allocation_paragraph(summary: AllocationSummary) -> str:
    """"In June 2019, £900,000 was allocated by formula to the 15 community safety
    partnerships, and £100,000 of the 10% top-slice to Safer Slough Partnership for
    cybercrime initiatives." and what each recipient's returns say it spent, by key aim.
    Dated by the day staff say the allocation was decided, or not dated."""
    when = f"In {summary.decided_on:%B %Y}, " if summary.decided_on else ""
    count = summary.formula_recipients
    parts = []
    if count:
        noun = _recipients_noun(summary.recipient_types, count)
        parts.append(f"{format_pounds(summary.formula_pence)} was allocated by formula to "
                     + (f"one {noun}" if count == 1 else f"the {count} {noun}"))
    if summary.top_slice_awards:
        basis_points = summary.top_slice_basis_points
        slice_name = ("the top-slice" if basis_points is None
                      else f"the {basis_points / 100:g}% top-slice")
        awarded = _listed([
            award.organisation_name + (f" for {_in_sentence(award.purpose)}"
                                       if award.purpose else "")
            for award in summary.top_slice_awards])
        parts.append(f"{format_pounds(summary.top_slice_awarded_pence)} of {slice_name} "
                     + ("was awarded " if not parts else "") + f"to {awarded}")
    text = when + ", and ".join(parts) + "."
    return " ".join([text, *_spend_sentences(summary)])


def direct_award_paragraph(summary: DirectAwardSummary) -> str:
    """"In March 2027, a direct award of £5,000 was made to Reading Street Support for
    emergency repairs after a flood." Dated by the day it was decided."""
    when = f"In {summary.decided_on:%B %Y}, " if summary.decided_on else ""
    text = (f"{when}a direct award of {format_pounds(summary.amount_pence)} was made to "
            f"{summary.organisation_name}")
    if summary.purpose:
        text += f" for {_in_sentence(summary.purpose)}"
    text += "."
    return text[:1].upper() + text[1:]


def _recipients(summary: OnwardSummary) -> str:
    """The onward grants' recipients by name, when there are few; else how many."""
    names = list(summary.recipient_names)
    if summary.recipients <= 3 and len(names) == summary.recipients:
        return _listed(names)
    return f"{summary.recipients} charities and community groups"


def delegated_paragraph(summary: OnwardSummary) -> str:
    """"In May 2026, £20,000 was allocated through Berkshire Community Foundation, which made
    3 grants to Reading Youth Club, Slough Foodbank and Wokingham Mentors, £10,000 in all, in
    relation to 'vulnerability' and/or '…'." Dated by the day the allocation was decided."""
    when = f"In {summary.decided_on:%B %Y}, " if summary.decided_on else ""
    text = (f"{when}{format_pounds(summary.allocated_pence)} was allocated through "
            f"{summary.intermediary}, which ")
    if summary.grants == 0:
        text += "has made no grants from it yet"
    else:
        grants = "one grant" if summary.grants == 1 else f"{summary.grants} grants"
        text += (f"made {grants} to {_recipients(summary)}, "
                 f"{format_pounds(summary.amount_pence)} in all")
        if summary.priority_titles:
            text += ", in relation to " + " and/or ".join(
                f"'{title.lower()}'" for title in summary.priority_titles)
    text += "."
    return text[:1].upper() + text[1:]


def high_sheriff_paragraph(summary: HighSheriffSummary) -> str | None:
    """"In addition, the three county High Sheriffs identified a further 11 organisations
    worthy of support who have received £75,000, in total." None without such awards."""
    if summary.awards == 0:
        return None
    if summary.county_name is not None:
        sheriffs = f"the High Sheriff of {summary.county_name}"
    else:
        sheriffs = f"the {_number_words(summary.counties)} county High Sheriffs"
    count = summary.organisations_funded
    organisations = "organisation" if count == 1 else "organisations"
    received = "who has received" if count == 1 else "who have received"
    return (f"In addition, {sheriffs} identified a further {count} {organisations} worthy of "
            f"support {received} {format_pounds(summary.amount_awarded_pence)}, in total.")


@dataclass(frozen=True)
class InitiativeGroup:
    heading: str  # e.g. "Community Safety Fund initiatives"
    items: tuple[str, ...]


@dataclass(frozen=True)
class _Section:
    """A priority's or key aim's part of the report, headed by its code and words."""

    code: str | None  # "P3", "P3.2"; None for initiatives naming none
    title: str  # the priority's title, the key aim's text

    @property
    def heading(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title


@dataclass(frozen=True)
class AimSection(_Section):
    groups: tuple[InitiativeGroup, ...]


@dataclass(frozen=True)
class PrioritySection(_Section):
    aims: tuple[AimSection, ...]


@dataclass(frozen=True)
class PanelReport:
    title: str
    stamp: str  # where it falls in the Police and Crime Plan: "Year 3, 2019/20, Q4"
    round_paragraphs: tuple[str, ...]
    high_sheriff_paragraph: str | None
    priorities: tuple[PrioritySection, ...]

    @property
    def paragraphs(self) -> tuple[str, ...]:
        extra = (self.high_sheriff_paragraph,) if self.high_sheriff_paragraph else ()
        return self.round_paragraphs + extra


def _initiative_label(initiative: Initiative) -> str:
    if initiative.title and initiative.title != initiative.organisation_name:
        return f"{initiative.organisation_name}: {initiative.title}"
    return initiative.organisation_name


def _group_heading(fund: str, through: str, with_high_sheriff: set[str]) -> str:
    """"Police Property Act Fund initiatives (including High Sheriff awards)", or, for a
    Community Foundation's onward grants, "Grants made by Heart of Bucks from the Police
    Property Act Fund's allocation"."""
    if through:
        return f"Grants made by {through} from the {fund}'s allocation"
    return f"{fund} initiatives" + (HIGH_SHERIFF_SUFFIX if fund in with_high_sheriff else "")


def progress_by_key_aim(initiatives: list[Initiative]) -> tuple[PrioritySection, ...]:
    """The initiatives under each priority and key aim, grouped by fund; the group of a fund
    with High Sheriff awards says it includes them. A Community Foundation's onward grants
    form a group of their own beneath their fund's (the money is the fund's allocation to the
    foundation, listed in the fund's group under the allocation's own key aims)."""
    with_high_sheriff = {i.fund_name for i in initiatives if i.high_sheriff}
    tree: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    priorities: dict = {}
    aims: dict = {}
    for initiative in initiatives:
        priority_key = (initiative.priority_number is None, initiative.priority_number or 0,
                        initiative.priority_code or "")
        aim_key = (initiative.key_aim_number is None, initiative.key_aim_number or 0)
        priorities[priority_key] = (initiative.priority_code,
                                    initiative.priority_title or NO_PRIORITY)
        aims[priority_key, aim_key] = (initiative.key_aim_code,
                                       initiative.key_aim_text or WHOLE_PRIORITY)
        tree[priority_key][aim_key][initiative.fund_name, initiative.through].add(
            _initiative_label(initiative))
    sections = []
    for priority_key in sorted(tree):
        aim_sections = []
        for aim_key in sorted(tree[priority_key]):
            by_fund = tree[priority_key][aim_key]
            groups = tuple(
                InitiativeGroup(heading=_group_heading(fund, through, with_high_sheriff),
                                items=tuple(sorted(by_fund[fund, through], key=str.casefold)))
                for fund, through in sorted(by_fund))
            code, text = aims[priority_key, aim_key]
            aim_sections.append(AimSection(code=code, title=text, groups=groups))
        code, title = priorities[priority_key]
        sections.append(PrioritySection(code=code, title=title, aims=tuple(aim_sections)))
    return tuple(sections)


def panel_report(session: Session, selection: Selection,
                 period: PlanPeriod | None = None) -> PanelReport:
    """The progress report's paragraphs for a financial year (or the years of a plan so far)
    and fund, the open rounds', the allocation rounds' and the direct awards' in order of
    decision (and the Community Foundation allocations', with the grants each made from its
    allocation), stamped with the plan year and quarter. Eleven queries (ten when given the
    period), and seven more when there are Community Foundation allocations, whatever their
    number (the last lists their onward grants under their key aims)."""
    period = period or plan_period(session, selection.year)
    dated = [(summary.decided_on, summary.code, round_paragraph(summary))
             for summary in progress.round_summaries(session, selection)
             if summary.kind is RoundKind.OPEN]
    dated += [(summary.decided_on, summary.code, allocation_paragraph(summary))
              for summary in progress.allocation_summaries(session, selection)]
    dated += [(summary.decided_on, f"~{summary.award_id:012d}", direct_award_paragraph(summary))
              for summary in progress.direct_award_summaries(session, selection)]
    allocations = delegated.delegated_summaries(session, selection)
    dated += [(summary.decided_on, f"~{summary.award_id:012d}", delegated_paragraph(summary))
              for summary in allocations]
    dated.sort(key=lambda item: (item[0] or date.max, item[1]))
    return PanelReport(
        title=("Grants awarded from " if selection.first_year else "Grants awarded in ")
        + selection.years + (f": {selection.fund.name}" if selection.fund else ""),
        stamp=period.stamp,
        round_paragraphs=tuple(text for _, _, text in dated),
        high_sheriff_paragraph=high_sheriff_paragraph(
            progress.high_sheriff_summary(session, selection)),
        priorities=progress_by_key_aim(
            progress.funded_initiatives(session, selection) + delegated.onward_initiatives(
                session, [summary.award_id for summary in allocations])),
    )


# --- Writing it out ------------------------------------------------------------------------

PROGRESS_HEADING = "Progress by key aim"
NOTHING_FUNDED = "No awards count in this year yet."


def to_text(report: PanelReport) -> str:
    """Plain text laid out to read and to paste into a document."""
    lines = [report.title, report.stamp, ""]
    for paragraph in report.paragraphs or (NOTHING_FUNDED,):
        lines += [paragraph, ""]
    if report.priorities:
        lines += [PROGRESS_HEADING, ""]
    for priority in report.priorities:
        lines += [priority.heading, ""]
        for aim in priority.aims:
            lines += [aim.heading, ""]
            for group in aim.groups:
                lines.append(group.heading)
                lines += [f"  - {item}" for item in group.items]
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def to_markdown(report: PanelReport) -> str:
    lines = [f"# {_md(report.title)}", "", _md(report.stamp), ""]
    for paragraph in report.paragraphs or (NOTHING_FUNDED,):
        lines += [_md(paragraph), ""]
    if report.priorities:
        lines += [f"## {PROGRESS_HEADING}", ""]
    for priority in report.priorities:
        lines += [f"### {_md(priority.heading)}", ""]
        for aim in priority.aims:
            lines += [f"#### {_md(aim.heading)}", ""]
            for group in aim.groups:
                lines += [f"**{_md(group.heading)}**", ""]
                lines += [f"- {_md(item)}" for item in group.items]
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_docx(report: PanelReport) -> bytes:
    document = Document()
    document.core_properties.title = report.title
    document.add_heading(report.title, level=1)
    document.add_paragraph(report.stamp)
    for paragraph in report.paragraphs or (NOTHING_FUNDED,):
        document.add_paragraph(paragraph)
    if report.priorities:
        document.add_heading(PROGRESS_HEADING, level=2)
    for priority in report.priorities:
        document.add_heading(priority.heading, level=3)
        for aim in priority.aims:
            document.add_heading(aim.heading, level=4)
            for group in aim.groups:
                document.add_paragraph().add_run(group.heading).bold = True
                for item in group.items:
                    document.add_paragraph(item, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
