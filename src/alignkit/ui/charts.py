"""Charts for the lessons, built with Altair, and the display object that makes them work offline.

Every chart here carries a ``description`` (its text alternative) and, where it has a control, a
Vega-Lite parameter bound to that control, so moving it changes the chart in the browser with no
kernel. :func:`show` wraps a chart so that JupyterLab draws it with the Vega-Lite its spec was written
for (Altair's JupyterChart, offline: see :mod:`alignkit.ui.labchart`) and the static site draws it with the
copies of Vega the site serves itself (see :mod:`alignkit.build.site`).
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import altair as alt
import pandas as pd

from ..metrics import funnel

VEGALITE_MIME = "application/vnd.vegalite.v6+json"
# JupyterLab 4's own renderer (Vega-Lite 5) under the v5 mime type. Charts no longer carry it: fed a v6
# spec it logged a version warning per redraw. The site still ignores it in notebooks saved before.
VEGALITE_LAB_MIME = "application/vnd.vegalite.v5+json"
PHASE_COLOURS = {"before": "#9a6324", "first quarter": "#bfbfbf", "after": "#1f5fa8"}


class ChartView:
    """A chart with its text alternative, displayable in JupyterLab and on the static site."""

    def __init__(self, chart: alt.TopLevelMixin, description: str):
        self.chart = fit_title(chart).properties(description=description)
        self.description = description

    def spec(self, validate: bool = False) -> dict:
        """The Vega-Lite spec. Not validated here (that costs up to half a second per lesson);
        tests/test_charts.py validates every lesson's charts against the Vega-Lite schema."""
        return self.chart.to_dict(validate=validate)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .labchart import WIDGET_MIME, widget_view

        bundle = {VEGALITE_MIME: self.spec(), "text/plain": f"Chart: {self.description}"}
        view = widget_view(self.chart)  # JupyterLab: the chart drawn by the Vega-Lite it was written for
        if view:
            bundle[WIDGET_MIME] = view
        return bundle


# A Vega expression, true where a chart as wide as its container is drawn on a phone (its plot narrower
# than 420 px): the lessons' charts switch to shorter captions, fewer axis figures, one legend column.
ON_A_PHONE = "width < 420"

# A chart's title is drawn on one line and cut off at both ends where the chart is narrower (a phone).
# A long title is broken into lines of at most TITLE_LINE characters: on a chart as wide as its container
# only when the chart is narrower than the title; on a chart of fixed width always (the title would set
# the chart's width). Bold 13 px titles take about TITLE_PX_PER_CHAR pixels a character.
TITLE_LINE = 44
TITLE_PX_PER_CHAR = 6.6


def fit_title(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """``chart`` with its title centred over the whole chart, axes included, and broken into lines where
    the chart is too narrow for it on one line."""
    title = getattr(chart, "title", alt.Undefined)
    given_to_first_layer = False
    if title is alt.Undefined and isinstance(chart, alt.LayerChart) and chart.layer:
        title = getattr(chart.layer[0], "title", alt.Undefined)  # a title given to the first layer is the chart's
        given_to_first_layer = True
    if isinstance(title, str):
        params: dict[str, Any] = {"text": title}
    elif isinstance(title, alt.TitleParams):
        params = title.to_dict()
    else:
        return chart
    text = params.get("text")
    if not isinstance(text, str):
        return chart
    params["frame"] = "bounds"
    if len(text) > TITLE_LINE:
        rows = -(-len(text) // TITLE_LINE)  # as few lines as will do, of about the same length
        lines = textwrap.wrap(text, min(TITLE_LINE, -(-len(text) // rows) + 6))
        if getattr(chart, "width", alt.Undefined) == "container":
            need = round(len(text) * TITLE_PX_PER_CHAR)
            params["text"] = alt.ExprRef(expr=f"width < {need} ? {json.dumps(lines)} : {json.dumps(text)}")
        else:
            params["text"] = lines
    if given_to_first_layer and isinstance(chart, alt.LayerChart):
        first = chart.layer[0].copy()
        first.title = alt.Undefined
        chart = chart.copy()
        chart.layer = [first, *chart.layer[1:]]
    return chart.properties(title=alt.TitleParams(**params))


def show(chart: alt.TopLevelMixin, description: str) -> ChartView:
    """A chart with its text description, shown as a chart on the site and in JupyterLab."""
    return ChartView(chart, description)


def monthly_inquiries(leads: pd.DataFrame) -> ChartView:
    """Inquiries per month, one line per channel, with a drop-down that picks a channel (or all)."""
    counts = leads.groupby(["month", "channel"], observed=True).size().rename("inquiries").reset_index()
    options = ["All channels", *sorted(counts.channel.unique())]
    pick = alt.param(
        name="pick_channel", value="All channels", bind=alt.binding_select(options=options, name="Channel: ")
    )
    chart = (
        alt.Chart(counts, title="Inquiries per month by channel")
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title="Month of inquiry"),
            y=alt.Y("inquiries:Q", title="Inquiries"),
            color=alt.Color("channel:N", title="Channel"),
            tooltip=["month:O", "channel:N", "inquiries:Q"],
        )
        .add_params(pick)
        .transform_filter("pick_channel == 'All channels' || datum.channel == pick_channel")
        .properties(width="container", height=260)
    )
    return show(
        chart,
        "Line chart of Brightline's inquiries per month from January 2025 to June 2026, "
        "one line per channel; the drop-down shows one channel at a time.",
    )


def step_conversion_by_phase(leads: pd.DataFrame, group: str = "channel") -> ChartView:
    """Conversion of each funnel step before, during and after the programme, with a drop-down
    that picks one value of ``group`` (or all leads)."""
    frames = []
    for name, part in [("All leads", leads), *leads.groupby(group, observed=True)]:
        rates = funnel.stage_conversion(part, "phase").drop(columns="inquiry→won")
        long = rates.reset_index().melt(id_vars="phase", var_name="step", value_name="conversion")
        long[group] = name
        frames.append(long)
    data = pd.concat(frames, ignore_index=True).dropna(subset=["conversion"])
    data["conversion"] = data["conversion"].round(4)
    data["phase"] = data["phase"].astype(str)
    steps = [f"{a}→{b}" for a, b in zip(funnel.STAGES[:-1], funnel.STAGES[1:], strict=True)]
    options = ["All leads", *sorted(leads[group].unique())]
    pick = alt.param(
        name="pick_group", value="All leads", bind=alt.binding_select(options=options, name=f"{group.title()}: ")
    )
    chart = (
        alt.Chart(data, title="Conversion of each funnel step, before, during and after the programme")
        .mark_bar()
        .encode(
            x=alt.X("step:N", sort=steps, title="Funnel step"),
            xOffset=alt.XOffset("phase:N", sort=list(funnel.PHASES)),
            y=alt.Y("conversion:Q", title="Share that moved on", axis=alt.Axis(format="%")),
            color=alt.Color(
                "phase:N",
                title="Programme phase",
                sort=list(funnel.PHASES),
                scale=alt.Scale(domain=list(PHASE_COLOURS), range=list(PHASE_COLOURS.values())),
            ),
            tooltip=["step:N", "phase:N", alt.Tooltip("conversion:Q", format=".1%")],
        )
        .add_params(pick)
        .transform_filter(f"datum['{group}'] == pick_group")
        .properties(width="container", height=280)
    )
    return show(
        chart,
        f"Bar chart of the share of leads that moved from each funnel stage to the next, "
        f"before the alignment programme, in its first quarter and after it; the drop-down "
        f"picks one {group} or all leads.",
    )
