"""alignkit: every calculation the Sales & Marketing Alignment Playbook shows, in one tested package.

Modules: ``funnel`` (stages, conversion, velocity, response time, leakage), ``economics`` (CAC,
LTV, payback), ``sla`` (the SLA from a revenue goal), ``okr`` (scoring), ``schema`` and ``dataset``
(the sample data and its checks), ``generate`` (the data generator), ``charts`` and ``widgets``
(thin views for the lessons), ``exercises`` (answer checkers).
"""

__version__ = "0.1.0"
