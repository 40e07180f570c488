"""The paragraphs of the Commissioner's progress report to the Police and Crime Panel."""

import io
from datetime import date

import pytest
from docx import Document

from grants.funds.models import RoundKind
from grants.reports.operations import panel, selection
from grants.reports.operations.progress import HighSheriffSummary, RoundSummary


def summary(**values) -> RoundSummary:
    settings = {"round_id": 1, "code": "PPAF-2019-1", "title": "PPAF 2019/20 Round 1",
                "kind": RoundKind.OPEN, "decided_on": date(2019, 8, 20), "awards": 27,
                "amount_awarded_pence": 10_673_300, "organisations_funded": 27,
                "priority_titles": ("Reducing reoffending", "Improve the local response to "
                                    "serious organised crime and terrorism"),
                "area_name": "Thames Valley"}
    settings.update(values)
    return RoundSummary(**settings)


def test_a_rounds_paragraph_reads_as_in_the_commissioners_report():
    assert panel.round_paragraph(summary()) == (
        "In August 2019, £106,733 was awarded to 27 charities and community groups across "
        "the Thames Valley who each made a significant contribution to support my strategic "
        "priorities in relation to 'reducing reoffending' and/or 'improve the local response "
        "to serious organised crime and terrorism'.")


def test_pence_show_only_when_the_amount_is_not_whole_pounds():
    text = panel.round_paragraph(summary(amount_awarded_pence=10_673_350))
    assert "In August 2019, £106,733.50 was awarded" in text


def test_one_organisation_and_one_priority_read_in_the_singular():
    text = panel.round_paragraph(summary(organisations_funded=1,
                                         priority_titles=("Vulnerability",)))
    assert ("to 1 charity or community group across the Thames Valley who made a significant "
            "contribution to support my strategic priorities in relation to "
            "'vulnerability'.") in text


def test_a_round_without_priorities_or_a_date_still_makes_a_sentence():
    text = panel.round_paragraph(summary(decided_on=None, priority_titles=()))
    assert text.startswith("£106,733 was awarded to 27")
    assert text.endswith("support my strategic priorities.")


def test_the_high_sheriff_paragraph_reads_as_in_the_commissioners_report():
    text = panel.high_sheriff_paragraph(HighSheriffSummary(
        awards=11, amount_awarded_pence=7_500_000, organisations_funded=11, counties=3,
        county_name=None))
    assert text == ("In addition, the three county High Sheriffs identified a further 11 "
                    "organisations worthy of support who have received £75,000, in total.")


def test_one_county_is_named_and_no_awards_make_no_paragraph():
    text = panel.high_sheriff_paragraph(HighSheriffSummary(
        awards=1, amount_awarded_pence=200_000, organisations_funded=1, counties=1,
        county_name="Berkshire"))
    assert text == ("In addition, the High Sheriff of Berkshire identified a further 1 "
                    "organisation worthy of support who has received £2,000, in total.")
    assert panel.high_sheriff_paragraph(HighSheriffSummary(0, 0, 0, 0, None)) is None


@pytest.fixture
def report(db_session, report_data):
    return panel.panel_report(db_session, selection.year_selection(db_session, "2019/20"))


def test_the_years_report_has_a_paragraph_per_round_then_the_high_sheriffs(report):
    assert report.title == "Grants awarded in 2019/20"
    assert report.paragraphs == (
        # Decisions published at 10:00 on 20 August 2019 (BST).
        "In August 2019, £13,000 was awarded to 2 charities and community groups across the "
        "Thames Valley who each made a significant contribution to support my strategic "
        "priorities in relation to 'vulnerability' and/or 'reducing re-offending'.",
        # An allocation round, dated by the day staff say it was decided, with what its
        # recipient's return says it spent.
        "In February 2020, £20,000 was allocated by formula to one community safety "
        "partnership. West Berkshire CSP invested £5,000 in work towards P3.1 Reduce "
        "reoffending by young people.",
        "In addition, the two county High Sheriffs identified a further 2 organisations "
        "worthy of support who have received £5,000, in total.",
    )


def test_progress_by_key_aim_groups_initiatives_by_fund(report):
    outline = [
        (priority.heading, aim.heading, group.heading, group.items)
        for priority in report.priorities for aim in priority.aims for group in aim.groups]
    assert outline == [
        ("P1 Vulnerability", "Supporting the priority as a whole",
         "Police Property Act Fund initiatives (including High Sheriff awards)",
         ("Reading Youth Club",)),
        ("P3 Reducing Re-offending", "P3.1 Reduce reoffending by young people",
         "Community Safety Fund initiatives", ("West Berkshire CSP: Knife crime workshops",)),
        ("P3 Reducing Re-offending", "P3.1 Reduce reoffending by young people",
         "Police Property Act Fund initiatives (including High Sheriff awards)",
         ("Reading Youth Club: Youth mentoring",)),
        ("P3 Reducing Re-offending", "P3.2 Support people leaving prison",
         "Police Property Act Fund initiatives (including High Sheriff awards)",
         ("Safer Homes Trust: Safe at home: prison leavers",)),
        ("Not linked to a priority", "Supporting the priority as a whole",
         "Community Safety Fund initiatives", ("West Berkshire CSP",)),
        ("Not linked to a priority", "Supporting the priority as a whole",
         "Police Property Act Fund initiatives (including High Sheriff awards)",
         ("St Mary's Church",)),
    ]


def test_a_fund_reports_only_its_own_rounds(db_session, report_data):
    report = panel.panel_report(db_session,
                                selection.year_selection(db_session, "2019/20", "CSF"))
    assert report.title == "Grants awarded in 2019/20: Community Safety Fund"
    assert len(report.paragraphs) == 1
    assert report.high_sheriff_paragraph is None


def test_the_markdown_and_text_have_every_paragraph_and_initiative(report):
    markdown = panel.to_markdown(report)
    text = panel.to_text(report)
    for paragraph in report.paragraphs:
        assert paragraph in text
    assert "## Progress by key aim" in markdown
    assert "#### P3.1 Reduce reoffending by young people" in markdown
    assert "- St Mary's Church" in markdown
    assert "**Community Safety Fund initiatives**" in markdown
    assert "  - Reading Youth Club: Youth mentoring" in text


def test_the_docx_has_the_paragraphs_and_headings(report):
    document = Document(io.BytesIO(panel.to_docx(report)))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "Grants awarded in 2019/20"
    assert report.paragraphs[0] in texts
    assert "Progress by key aim" in texts
    assert "P3.2 Support people leaving prison" in texts
    assert "Safer Homes Trust: Safe at home: prison leavers" in texts


def allocation(**values):
    from grants.organisations.models import OrganisationType
    from grants.reports.operations.progress import AllocationSummary, Spend, TopSliceAward

    settings = {
        "round_id": 1, "code": "CSF-2019", "decided_on": date(2019, 6, 17),
        "formula_pence": 90_000_000, "formula_recipients": 15,
        "recipient_types": frozenset({OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP}),
        "top_slice_basis_points": 1000,
        "top_slice_awards": (TopSliceAward("Safer Slough Partnership", 5_000_000,
                                           "Cybercrime initiatives"),
                             TopSliceAward("Oxford CSP", 2_500_000, "")),
        "spending": (Spend("Slough CSP", ("P3.1 Reduce reoffending by young people",),
                           7_450_000),
                     Spend("Slough CSP", ("P1.1 Protect vulnerable people",
                                          "P3.1 Reduce reoffending by young people"),
                           1_000_000))}
    settings.update(values)
    return AllocationSummary(**settings)


def test_an_allocation_rounds_paragraph_tells_the_formula_the_top_slice_and_the_spending():
    assert panel.allocation_paragraph(allocation()) == (
        "In June 2019, £900,000 was allocated by formula to the 15 community safety "
        "partnerships, and £75,000 of the 10% top-slice to Safer Slough Partnership for "
        "cybercrime initiatives and Oxford CSP. Slough CSP invested £74,500 in work towards "
        "P3.1 Reduce reoffending by young people and £10,000 towards P1.1 Protect vulnerable "
        "people and P3.1 Reduce reoffending by young people together.")


def test_an_allocation_without_a_decision_date_or_top_slice_awards_is_still_a_sentence():
    from grants.organisations.models import OrganisationType

    text = panel.allocation_paragraph(allocation(
        decided_on=None, top_slice_awards=(), spending=(), formula_recipients=2,
        recipient_types=frozenset({OrganisationType.LOCAL_AUTHORITY,
                                   OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP})))
    assert text == ("£900,000 was allocated by formula to the 2 councils and community "
                    "safety partnerships.")
    only_top_slice = panel.allocation_paragraph(allocation(
        formula_recipients=0, formula_pence=0, spending=(), top_slice_basis_points=None,
        top_slice_awards=allocation().top_slice_awards[:1]))
    assert only_top_slice == ("In June 2019, £50,000 of the top-slice was awarded to Safer "
                              "Slough Partnership for cybercrime initiatives.")


def test_an_allocation_round_is_dated_by_its_decision_date_with_its_top_slice_awards(
        db_session, report_data):
    from sqlalchemy import select

    from grants.awards.models import Award, AwardSource, AwardStatus
    from grants.funds.models import Round
    from grants.monitoring.models import MonitoringProject, MonitoringReport
    from grants.organisations.models import Organisation
    from grants.plans.models import KeyAim, Priority

    csf = db_session.get(Round, report_data.round_csf_id)
    csf.top_slice_basis_points = 1000
    csp = db_session.scalar(select(Organisation).where(Organisation.name == "West Berkshire CSP"))
    p3 = db_session.scalar(select(Priority).where(Priority.code == "P3"))
    db_session.add(Award(round=csf, organisation=csp, amount_pence=1_000_000,
                         status=AwardStatus.ACCEPTED, source=AwardSource.TOP_SLICE, priority=p3))
    # A proposed top-slice award is not public, so it is not told.
    db_session.add(Award(round=csf, organisation=csp, amount_pence=99_900,
                         status=AwardStatus.PROPOSED, source=AwardSource.TOP_SLICE))
    aims = {aim.text: aim for aim in db_session.scalars(select(KeyAim))}
    project = MonitoringProject(report=db_session.scalar(select(MonitoringReport)),
                                position=2, name="Cyber safety", spent_pence=300_000,
                                key_aims=[aims["Protect vulnerable people"],
                                          aims["Reduce reoffending by young people"]])
    db_session.add(project)
    db_session.flush()

    text = panel.panel_report(
        db_session, selection.year_selection(db_session, "2019/20", "CSF")).paragraphs[0]
    assert text == (
        "In February 2020, £20,000 was allocated by formula to one community safety "
        "partnership, and £10,000 of the 10% top-slice to West Berkshire CSP for reducing "
        "re-offending. West Berkshire CSP invested £5,000 in work towards P3.1 Reduce "
        "reoffending by young people and £3,000 towards P1.1 Protect vulnerable people and "
        "P3.1 Reduce reoffending by young people together.")


@pytest.mark.parametrize(("today", "quarter"), [
    (date(2019, 3, 31), 1), (date(2019, 4, 1), 1), (date(2019, 6, 30), 1),
    (date(2019, 7, 1), 2), (date(2019, 12, 31), 3), (date(2020, 1, 1), 4),
    (date(2020, 3, 31), 4), (date(2026, 12, 6), 4)])
def test_the_quarter_is_the_one_today_is_in_within_the_year(today, quarter):
    from grants.reports.operations.plan_period import quarter_reached

    assert quarter_reached("2019/20", today) == quarter


def test_the_report_is_stamped_with_the_plan_year_and_quarter(db_session, report_data):
    from grants.reports.operations.plan_period import plan_period

    # The plan in report_data runs from 1 April 2017, so 2019/20 is its third year.
    period = plan_period(db_session, "2019/20", date(2020, 2, 3))
    assert (period.stamp, period.plan_first_year) == ("Year 3, 2019/20, Q4", "2017/18")
    assert plan_period(db_session, "2016/17", date(2020, 2, 3)).stamp == "2016/17, Q4"
    report = panel.panel_report(db_session, selection.year_selection(db_session, "2019/20"),
                                period)
    assert report.stamp == "Year 3, 2019/20, Q4"
    assert panel.to_text(report).startswith("Grants awarded in 2019/20\nYear 3, 2019/20, Q4\n")


def test_the_report_over_the_plan_so_far_takes_in_every_year_up_to_the_one_asked_for(
        db_session, report_data):
    from grants.reports.operations.plan_period import over_plan_period, plan_period

    year = selection.year_selection(db_session, "2020/21", "PPAF")
    period = plan_period(db_session, "2020/21", date(2020, 8, 30))
    report = panel.panel_report(db_session, over_plan_period(year, period), period)
    assert (report.title, report.stamp) == (
        "Grants awarded from 2017/18 to 2020/21: Police Property Act Fund",
        "Year 4, 2020/21, Q2")
    assert [text[:18] for text in report.round_paragraphs] == [
        "In August 2019, £1", "In August 2020, £1"]
    assert report.high_sheriff_paragraph is not None
    alone = panel.panel_report(db_session, year, period)
    assert [text[:18] for text in alone.round_paragraphs] == ["In August 2020, £1"]
