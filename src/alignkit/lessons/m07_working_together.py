"""Lesson 7, Working together: the lead view, the exercises' checkers (including the launch-reaction
exercise run both ways), the quiz, the feedback explorer and the chart of sellers' reasons."""

from __future__ import annotations

import html

import altair as alt
import ipywidgets as w
import pandas as pd

from ..casedata.caching import cached
from ..casedata.dataset import load_company
from ..metrics import loop
from ..ui import charts, present
from ..ui.exercises import Exercise, Feedback, check_number
from ..ui.exercises import multiple_choice as _mc

# The two proposals of the launch-reaction exercise (Chan's question at P&G, asked both ways)
PROPOSED_CHANNEL = "paid social"
PROPOSED_PITCH = ("get paid faster", "fewer no-shows")  # (the seller's pitch, the campaign's theme)


@cached(maxsize=4)
def brightline_view(slug: str = "brightline") -> pd.DataFrame:
    """One row per lead with campaign, first touch, feedback, deal and customer (see loop.lead_view)."""
    d = load_company(slug)
    return loop.lead_view(d.leads, d.campaigns, d.touches, d.feedback, d.opportunities, d.customers)


def _reasons(view: pd.DataFrame, good: bool = False) -> list[str]:
    reasons = sorted(view["reason"].dropna().unique())
    return reasons if good else [r for r in reasons if r != loop.GOOD_FIT]


# -- exercises -------------------------------------------------------------------------------------


def check_mismatch_win_rate(rate) -> Feedback:
    """Exercise 7.3 (analyst): the win rate of closed deals whose pitch did not match the campaign's theme."""
    perf = loop.content_performance(brightline_view(), "pitch_matches")
    expected = float(perf.loc[False, "win_rate"])
    return check_number(
        rate,
        expected,
        what="the win rate when the pitch did not match",
        as_share=True,
        tolerance=0.01,
        hint="Join opportunities to leads (lead_id) and campaigns (campaign_id); keep "
        "won and lost deals whose pitch_theme differs from the campaign's theme; "
        "divide the won ones by all of them.",
    )


# -- quiz ------------------------------------------------------------------------------------------


def quiz() -> list[dict]:
    """Situations a seller or a marketer meets when the loop runs; the wrong answers are the beliefs
    people really hold. The second question brings back lesson 5 (a channel is judged by what its
    customers cost and bring, not by one number)."""
    view = brightline_view()
    fb = loop.feedback_summary(view, "channel")
    lowest = str(fb["mean_rating"].idxmin())
    perf = loop.content_performance(view, "pitch_matches")
    cov = loop.rating_coverage(view)
    return [
        _mc(
            f"Deals whose pitch matched the campaign won {perf.loc[True, 'win_rate']:.0%} of the time, the others "
            f"{perf.loc[False, 'win_rate']:.0%}. A marketing lead proposes to forbid sellers any pitch other than the "
            "campaign's. What does the data support?",
            [
                (
                    "Open with the campaign's promise, then find out what the customer needs: the gap shows what goes "
                    "together, not what causes what",
                    True,
                    "Right: sellers may switch pitch on calls that were already going badly, or when the lead needs "
                    "something else. Leading with the promise keeps the message consistent; listening keeps the deal.",
                ),
                (
                    "Forbid it: every mismatched deal would have been won with the campaign's pitch",
                    False,
                    "The data cannot say that: it records which pitch went with which result, not what would have "
                    "happened with another pitch.",
                ),
                (
                    "Ignore it: the pitch makes no difference to the customer",
                    False,
                    "The gap is large and worth acting on; it just does not prove the pitch alone caused it.",
                ),
            ],
        ),
        _mc(
            f"Sellers rate {lowest} leads lowest of all channels. A seller says in the pipeline review: "
            f'"stop {lowest}, it\'s a waste of money". What is the next step?',
            [
                (
                    "Take the ratings and the top complaint to the campaign's owner, and check what the channel's "
                    "customers cost and bring before cutting it (lesson 5)",
                    True,
                    "Right: ratings tell marketing what to fix; whether a channel pays is a question of its cost per "
                    "customer and what those customers are worth.",
                ),
                (
                    "Stop the channel: low ratings prove it loses money",
                    False,
                    "Ratings are about how leads feel to a seller, not about revenue or cost; lesson 5 judges a "
                    "channel by both.",
                ),
                (
                    "Ignore it: ratings are only sellers' opinions",
                    False,
                    "A rating with a reason is the fastest market research marketing gets: days after the lead, not "
                    "months after the deal.",
                ),
            ],
        ),
        _mc(
            f"Of the {cov['worked']:,} leads Brightline's sellers worked, {cov['rated_worked']:,} carry a rating. "
            "What does that mean for the feedback table?",
            [
                (
                    "It describes the rated leads; if sellers mostly rate the leads they felt strongly about, it leans "
                    "that way: ask for a rating on every worked lead",
                    True,
                    "Right: a summary speaks for the records behind it. Who chooses what gets rated matters.",
                ),
                (
                    "Nothing: thousands of ratings always represent all leads",
                    False,
                    "Size does not fix a sample chosen by the raters: a big biased sample is still biased.",
                ),
                (
                    "The unrated leads must all have been fine",
                    False,
                    "Nothing says so; an unrated lead is unknown, not good.",
                ),
            ],
        ),
        _mc(
            "Marketing is planning next quarter's campaign. When should it ask sellers \"if we launched this, how "
            'would the customer react?"',
            [
                (
                    "Before launch, in the planning meeting, and then the other way round for sellers' plans",
                    True,
                    "Right: at P&G sellers sat in marketing's planning and agency meetings, and the question ran both "
                    "ways (Chan, interview with Laba, paragraph 25).",
                ),
                (
                    "After the campaign, in the results review",
                    False,
                    "Then the answer can only explain a result, not change it.",
                ),
                (
                    "Only if the last campaign failed",
                    False,
                    "The question is a habit, not a rescue: asked every time, it catches problems before they cost.",
                ),
            ],
        ),
    ]


# -- interactive views -----------------------------------------------------------------------------

BREAKDOWNS = {"Channel": "channel", "Campaign theme": "theme", "Segment": "segment", "Region": "region"}


def feedback_html(view: pd.DataFrame, by: str = "channel", phase: str = "all") -> str:
    """What the feedback explorer shows: sellers' ratings per group, and the group with most complaints."""
    part = view if phase == "all" else view[view["phase"] == phase]
    table = loop.feedback_summary(part, by)
    if table.empty:
        return "<p>No rated leads in this selection.</p>"
    shown = table.assign(
        mean_rating=table["mean_rating"].map("{:.2f}".format),
        good_share=table["good_share"].map("{:.0%}".format),
        complaint_share=table["complaint_share"].map(lambda v: "–" if pd.isna(v) else f"{v:.0%}"),
    )
    worst = table["good_share"].idxmin()
    return (
        shown.to_html(escape=True)
        + f"<p>Fewest leads rated 4 or 5: <strong>{html.escape(str(worst))}</strong>; sellers' top complaint "
        f"there: <strong>{html.escape(str(table.loc[worst, 'top_complaint']))}</strong>.</p>"
    )


def feedback_explorer(view: pd.DataFrame | None = None) -> w.VBox:
    """Pick a breakdown and a programme phase; see sellers' ratings and their top complaint."""
    view = brightline_view() if view is None else view
    by = w.Dropdown(
        options=list(BREAKDOWNS.items()),
        value="channel",
        description="Break down by:",
        style={"description_width": "initial"},
    )
    phase = w.ToggleButtons(
        options=[("All", "all"), ("Before", "before"), ("First quarter", "first quarter"), ("After", "after")],
        value="all",
        description="Phase:",
    )
    out = w.HTML(feedback_html(view, by.value, phase.value))

    def update(_=None):
        out.value = feedback_html(view, by.value, phase.value)

    by.observe(update, names="value")
    phase.observe(update, names="value")
    return w.VBox([by, phase, out])


def reasons_chart(view: pd.DataFrame | None = None) -> charts.ChartView:
    """Share of each seller reason before, during and after the programme, with a drop-down that
    picks a channel (or all channels)."""
    view = brightline_view() if view is None else view
    rated = view[view["reason"].notna()]
    by_channel = pd.crosstab([rated["channel"], rated["phase"].astype(str)], rated["reason"], normalize="index")
    everyone = pd.crosstab(rated["phase"].astype(str), rated["reason"], normalize="index")
    everyone.index = pd.MultiIndex.from_product([["All channels"], everyone.index], names=["channel", "phase"])
    data = pd.concat([everyone, by_channel]).rename_axis(columns="reason").stack().rename("share").reset_index()
    data["share"] = data["share"].round(4)
    options = ["All channels", *sorted(rated["channel"].unique())]
    pick = alt.param(
        name="pick_channel", value="All channels", bind=alt.binding_select(options=options, name="Channel: ")
    )
    reasons = [loop.GOOD_FIT, *_reasons(view)]
    chart = (
        alt.Chart(data, title="Why sellers rated leads as they did, before, during and after the programme")
        .mark_bar()
        .encode(
            y=alt.Y("reason:N", sort=reasons, title="Seller's main reason"),
            yOffset=alt.YOffset("phase:N", sort=list(charts.PHASE_COLOURS)),
            x=alt.X("share:Q", title="Share of the ratings", axis=alt.Axis(format="%")),
            color=alt.Color(
                "phase:N",
                title="Programme phase",
                sort=list(charts.PHASE_COLOURS),
                scale=alt.Scale(domain=list(charts.PHASE_COLOURS), range=list(charts.PHASE_COLOURS.values())),
            ),
            tooltip=["channel:N", "reason:N", "phase:N", alt.Tooltip("share:Q", format=".1%")],
        )
        .add_params(pick)
        .transform_filter("datum.channel == pick_channel")
        .properties(width="container", height=320)
    )
    return charts.show(
        chart,
        "Bar chart of the reasons Brightline's sellers gave when rating leads, as shares "
        "of all ratings, before the alignment programme, in its first quarter and after "
        "it; the drop-down picks one channel or all channels.",
    )


# -- decision exercises (shown before the tables that answer them) ---------------------------------


def exercises(slug: str = "brightline") -> list[Exercise]:
    """Lesson 7's decision exercises: Chan's launch-reaction question, asked both ways, and what a
    seller does on the call. Every expected answer is computed from the feedback and deal data."""
    view = brightline_view(slug)
    ev = loop.campaign_reaction(view, PROPOSED_CHANNEL)
    shares = loop.reason_shares(view, "channel").loc[PROPOSED_CHANNEL]
    complaints = tuple(_reasons(view))
    above, below = "Above the average", "Below the average"
    rating_facts = (
        f"Sellers rated {PROPOSED_CHANNEL} leads {ev['mean_rating']:.1f} out of 5 on average, against "
        f"{ev['overall_rating']:.1f} for all rated leads."
    )
    pitch, theme = PROPOSED_PITCH
    pr = loop.pitch_reaction(view, pitch, theme)
    more, less = "More often", "Less often"
    pitch_facts = (
        f"Pitching '{pitch}' to '{theme}' leads won {present.percent(pr['win_rate'])} of "
        f"{pr['deals']} closed deals; pitching '{theme}' won {present.percent(pr['matched_win_rate'])}. "
        "The data shows what goes together, not what causes what."
    )
    rule = (
        "Open with the campaign's promise, then find out what they need and pitch to that",
        "Stick to the campaign's promise, whatever they say",
        f"Pitch '{pitch}' from the first sentence and skip the campaign",
    )
    return [
        Exercise(
            "7.1",
            "choice",
            f"Marketing plans a new {PROPOSED_CHANNEL} campaign and asks you, a seller: if we "
            "launched this, how would you rate its leads against the average of all leads? Predict before you "
            "look at Step 3.",
            what="how sellers rate these leads",
            options=(above, below),
            expected=above if ev["direction"] == "above" else below,
            why=((above, rating_facts), (below, rating_facts)),
            hint="Think of the last leads you had from that channel.",
            minutes=2,
        ),
        Exercise(
            "7.2",
            "choice",
            f"And which complaint will sellers raise most often about the leads of that {PROPOSED_CHANNEL} campaign?",
            what="sellers' most common complaint",
            options=complaints,
            expected=str(ev["top_complaint"]),
            why=tuple(
                (
                    r,
                    f"'{r}' is {present.percent(shares.get(r, 0))} of the ratings of {PROPOSED_CHANNEL} "
                    f"leads; the most common complaint is {present.percent(ev['complaint_share'])}.",
                )
                for r in complaints
            ),
            explain="That is the complaint marketing can act on before the launch.",
            hint="Which problem do you hear most about leads from that channel?",
            minutes=2,
        ),
        Exercise(
            "7.3",
            "choice",
            f"A seller plans to lead with '{pitch}' when calling leads from a '{theme}' "
            "campaign, and asks marketing how customers will react. Will those deals be won more or less often "
            "than deals pitched on the campaign's own theme? Predict before you look at Step 4.",
            what="how often those deals are won",
            options=(more, less),
            expected=more if pr["direction"] == "higher" else less,
            why=((more, pitch_facts), (less, pitch_facts)),
            hint="What did the lead sign up for?",
            minutes=2,
        ),
        Exercise(
            "7.4",
            "choice",
            f"On the first call, a lead from a '{theme}' campaign says their real headache is "
            "getting paid on time. What do you do?",
            what="the way to run the call",
            options=rule,
            expected=rule[0],
            why=(
                (
                    rule[1],
                    "Then you ignore what the customer just told you: keeping the promise does not mean not listening.",
                ),
                (
                    rule[2],
                    "Then the customer hears a different promise from the one that brought them, before "
                    "you know what they need: the mixed message Chan warns about.",
                ),
            ),
            explain="The promise is why they came; what they need is why they buy.",
            hint="Start from what they signed up for, then listen.",
            minutes=2,
        ),
    ]


# -- tables for people (alignkit.ui.present) ----------------------------------------------------------


def feedback_table(summary: pd.DataFrame, by: str = "Channel") -> present.Table:
    """Sellers' ratings per group: how many rated, the mean rating, the share rated 4 or 5 and the top
    complaint with its share of the ratings."""
    return present.table(
        summary,
        index=by,
        formats={
            "mean_rating": lambda v: f"{present.number(v, 1)} of 5",
            "good_share": "percent",
            "complaint_share": "percent",
        },
        labels={
            "rated": "Leads rated",
            "mean_rating": "Mean rating",
            "good_share": "Rated 4 or 5",
            "top_complaint": "Top complaint",
            "complaint_share": "Top complaint's share",
        },
    )


def weakest_campaigns_table(view: pd.DataFrame, min_rated: int = 20, n: int = 5) -> present.Table:
    """The ``n`` campaigns with the lowest share of good ratings among those with at least
    ``min_rated`` ratings (fewer ratings would make a share too noisy to act on)."""
    by_campaign = loop.feedback_summary(view, "campaign")
    weakest = by_campaign[by_campaign["rated"] >= min_rated].sort_values("good_share").head(n)
    return feedback_table(weakest, by="Campaign")


def performance_table(perf: pd.DataFrame, by: str) -> present.Table:
    """Closed deals, won, win rate and median days to win, per group."""
    data = perf.copy()
    if by == "Pitch matched the campaign":
        data.index = data.index.map({True: "yes", False: "no"})
    return present.table(
        data,
        index=by,
        formats={"win_rate": "percent", "median_days_to_win": lambda v: present.number(v, 0)},
        labels={
            "deals": "Closed deals",
            "won": "Won",
            "win_rate": "Win rate",
            "median_days_to_win": "Median days to win",
        },
    )


def loss_reasons_table(losses: pd.DataFrame) -> present.Table:
    """Each loss reason's share of lost deals, when the pitch matched the campaign and when not."""
    t = losses.T.rename(columns={True: "pitch matched", False: "pitch did not match"})
    t = t[[c for c in ("pitch did not match", "pitch matched") if c in t.columns]]
    return present.table(
        t,
        index="Loss reason sellers entered",
        formats={c: "percent" for c in t.columns},
        labels={
            "pitch matched": "Pitch matched: share of losses",
            "pitch did not match": "Pitch did not match: share of losses",
        },
    )


def cadence_table(cadence: pd.DataFrame) -> present.Table:
    """The meeting cadence (:func:`alignkit.metrics.loop.meeting_cadence`) with plain headings."""
    return present.table(
        cadence,
        formats={"hours a month": lambda v: present.number(v, 1)},
        labels={
            "meeting": "Meeting",
            "kind": "Kind",
            "how often": "How often",
            "minutes": "Minutes",
            "who": "Who",
            "input": "Input",
            "output": "Output",
            "hours a month": "Hours a month",
        },
    )


# make bench: one update of the feedback explorer (the pure function behind it); the campaign-theme
# breakdown over all leads is the largest view it draws
BENCH = {"feedback explorer update": lambda: feedback_html(brightline_view(), "theme", "all")}
