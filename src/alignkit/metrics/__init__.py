"""The course's metrics: what a learner or a team computes, from plain pandas tables.

Nothing here imports the lessons, their interface, the team tools or the course build.

* ``funnel``: stages, conversion, velocity, response time, leakage, programme phases
* ``economics``: CAC, LTV, payback and unit economics by channel
* ``satisfaction``: customer satisfaction and churn by source
* ``sla``: the follow-up SLA from a revenue goal and the rates it needs
* ``okr``: OKRs scored, key results checked for measurability, the board of shared wins
* ``lead_scores``: lead scores and the MQL threshold's trade-off
* ``quarter_reports``: marketing's and sales' reports of one quarter, and the view that reconciles them
* ``misalignment``: what misalignment costs: leaked leads, wasted spend, mixed messages
* ``loop``: the feedback loop between the teams (launch reactions, lost-deal reasons)
* ``timezones``: working-hour overlap across time zones and a meeting slot's burden
* ``raci``: the RACI chart of the hand-offs, checked
* ``change``: the J-curve of a change programme and its communication plan
"""
