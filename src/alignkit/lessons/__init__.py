"""What belongs to one lesson only: its exercise checkers, its quiz, and any widget or chart it alone uses.

One module per lesson, named after the notebook (``m03_one_journey`` for
``notebooks/03-one-journey-shared-metrics.ipynb``). Calculations stay in the topic modules
(``alignkit.metrics.funnel``, ``alignkit.metrics.economics`` …) so every lesson can reuse them.
"""
