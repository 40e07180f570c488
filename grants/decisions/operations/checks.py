"""Checking a decision as staff typed it against the round's rules: the amount within the
round's limits and the amount requested, a reason, feedback when declining, and a reason for any
decision out of rank order. Every broken rule comes back at once, on its field."""

from dataclasses import dataclass, fields

from sqlalchemy.orm import Session

from grants.applications.models import Application
from grants.assessment.operations import ranking
from grants.awards.operations.public_reasons import public_reason_problem
from grants.core.errors import ValidationFailed
from grants.core.money import format_pounds
from grants.decisions.models import Decision, DecisionOutcome
from grants.decisions.operations.queries import decision_ranking, round_decisions
from grants.decisions.operations.rules import (
    AWARD_OUTCOMES,
    DECIDABLE_STATUSES,
    MAX_TEXT,
    DecisionInput,
    declined_ids,
    funded_ids,
    out_of_rank_conflicts,
)
from grants.funds.models import Round


@dataclass(frozen=True)
class CheckedDecision:
    """A checked decision: what the Decision (and its Award) will hold."""

    outcome: DecisionOutcome
    amount_pence: int | None
    reason: str
    conditions: str
    feedback: str
    out_of_rank_reason: str
    # The award's, not the decision's: the reason written for publication.
    public_reason: str = ""

    @property
    def awarding(self) -> bool:
        return self.outcome in AWARD_OUTCOMES

    def _decision_fields(self):
        return [field for field in fields(self) if field.name != "public_reason"]

    def held_by(self, decision: Decision) -> bool:
        """Whether the decision holds these values already (a resent form)."""
        return all(getattr(decision, field.name) == getattr(self, field.name)
                   for field in self._decision_fields())

    def write_to(self, decision: Decision) -> None:
        """Give the decision these values: each field but the award's public reason is a
        column of the same name."""
        for field in self._decision_fields():
            setattr(decision, field.name, getattr(self, field.name))


def _text(errors: dict[str, str], name: str, value: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        errors[name] = f"{label} must be {MAX_TEXT:,} characters or fewer"
    return value


def _award_amount(errors: dict[str, str], round_: Round, requested: int | None,
                  data: DecisionInput) -> int | None:
    """The amount an award outcome gives, or None with the reason in `errors`."""
    maximum = round_.max_award_pence
    if requested is None:
        errors["outcome"] = "This application asks for no amount, so it can only be declined"
        return None
    if data.outcome is DecisionOutcome.AWARD_IN_FULL:
        if maximum is not None and requested > maximum:
            errors["outcome"] = (f"The amount requested, {format_pounds(requested)}, is more "
                                 "than the round's maximum award of "
                                 f"{format_pounds(maximum)}: award in part or decline")
            return None
        return requested
    amount = data.amount_pence
    minimum = round_.min_award_pence or 1
    if amount is None:
        errors["amount"] = "Enter the amount to award"
    elif amount < minimum:
        errors["amount"] = ("The amount must be at least the round's minimum award of "
                            f"{format_pounds(minimum)}")
    elif amount >= requested:
        errors["amount"] = (f"An award in part must be less than the amount requested, "
                            f"{format_pounds(requested)}; to give it all, award in full")
    elif maximum is not None and amount > maximum:
        errors["amount"] = ("The amount must not be more than the round's maximum award of "
                            f"{format_pounds(maximum)}")
    else:
        return amount
    return None


def _references(rows_by_id: dict[int, Application], ids: list[int]) -> str:
    refs = [rows_by_id[i].reference or f"application {i}" for i in ids]
    return ", ".join(refs[:5]) + (f" and {len(refs) - 5} more" if len(refs) > 5 else "")


@dataclass(frozen=True)
class Standing:
    """Where an application stands in its round's ranking, as the decision page shows it: its
    rank ("=2" when shared), the applications tied with it, and why awarding or declining it
    would need an out-of-rank reason."""

    rank_text: str
    tied_with: str
    award_needs_reason: str | None
    decline_needs_reason: str | None


def standing(session: Session, application: Application) -> Standing | None:
    """The application's standing from one ranking of the round, or None when it is not
    ranked (not in a decidable state)."""
    ranked = decision_ranking(session, application.round_id, DECIDABLE_STATUSES)
    row = next((row for row in ranked.rows if row.application.id == application.id), None)
    if row is None:
        return None
    decisions = round_decisions(session, application.round_id)
    tied = [other.application.id for other in ranked.rows
            if other.rank == row.rank and other.application.id != application.id]
    applications = {other.application.id: other.application for other in ranked.rows}
    return Standing(
        rank_text=row.rank_text,
        tied_with=_references(applications, tied) if tied else "",
        award_needs_reason=_out_of_rank_message(ranked, decisions, application.id, True),
        decline_needs_reason=_out_of_rank_message(ranked, decisions, application.id, False),
    )


def out_of_rank_explanation(session: Session, application: Application,
                            outcome: DecisionOutcome) -> str | None:
    """Why deciding `outcome` on the application needs an out-of-rank reason, or None."""
    ranked = decision_ranking(session, application.round_id, DECIDABLE_STATUSES)
    decisions = round_decisions(session, application.round_id)
    return _out_of_rank_message(ranked, decisions, application.id, outcome in AWARD_OUTCOMES)


def _out_of_rank_message(ranked: ranking.Ranking, decisions: dict[int, Decision],
                         application_id: int, awarding: bool) -> str | None:
    ranks = {row.application.id: row.rank for row in ranked.rows}
    conflicts = out_of_rank_conflicts(
        ranks, funded_ids(decisions) - {application_id},
        declined_ids(decisions) - {application_id}, application_id, awarding=awarding)
    if not conflicts:
        return None
    applications = {row.application.id: row.application for row in ranked.rows}
    parts = []
    if conflicts.ranked:
        verb = "is" if len(conflicts.ranked) == 1 else "are"
        parts.append(f"{_references(applications, conflicts.ranked)}, ranked above this "
                     f"application, {verb} not funded" if awarding else
                     f"{_references(applications, conflicts.ranked)}, ranked below this "
                     f"application, {verb} funded")
    if conflicts.tied:
        verb = "is" if len(conflicts.tied) == 1 else "are"
        parts.append(f"{_references(applications, conflicts.tied)}, tied with this "
                     f"application, {verb} " + ("declined" if awarding else "funded"))
    return "; ".join(parts)


def checked(session: Session, round_: Round, application: Application,
            data: DecisionInput) -> CheckedDecision:
    """The decision's values once every rule on them holds; otherwise ValidationFailed."""
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", data.reason, "The reason")
    conditions = _text(errors, "conditions", data.conditions, "The conditions")
    feedback = _text(errors, "feedback", data.feedback, "The feedback")
    out_of_rank = _text(errors, "out_of_rank_reason", data.out_of_rank_reason,
                        "The reason for funding out of rank order")
    public_reason = (data.public_reason or "").strip()
    amount: int | None = None
    if data.outcome is None:
        errors["outcome"] = "Select the decision: award in full, award in part or decline"
    elif data.outcome in AWARD_OUTCOMES:
        amount = _award_amount(errors, round_, application.amount_requested_pence, data)
        problem = public_reason_problem(public_reason) if (
            public_reason or data.public_reason_now) else None
        if problem:
            errors["public_reason"] = problem
    elif not feedback:
        errors.setdefault("feedback", "Enter feedback for the applicant: they see it with "
                                      "the reason when you decline")
    if not reason:
        errors.setdefault("reason", "Enter the reason for the decision")
    if data.outcome is not None:
        awarding = data.outcome in AWARD_OUTCOMES
        why = out_of_rank_explanation(session, application, data.outcome)
        if why is None:
            out_of_rank = ""
        elif not out_of_rank:
            errors.setdefault("out_of_rank_reason",
                              ("Enter why this application is funded out of rank order: "
                               if awarding else
                               "Enter why this application is declined out of rank order: ")
                              + why)
    if errors:
        raise ValidationFailed(errors)
    awarding = data.outcome in AWARD_OUTCOMES
    return CheckedDecision(outcome=data.outcome, amount_pence=amount, reason=reason,
                           conditions=conditions if awarding else "",
                           feedback="" if awarding else feedback,
                           out_of_rank_reason=out_of_rank,
                           public_reason=public_reason if awarding else "")
