"""alignkit: the calculations of the Sales & Marketing Alignment Playbook, its case data, its lessons' interface,
the tools a team runs on its own data, and the course's build.

* ``metrics``: what a learner or a team computes (funnel, economics, SLA, OKRs ...); imports nothing else of alignkit
* ``casedata``: the case's data: the companies, the tables' schema, the generator and ``load_company``
* ``teamtools``: what a team runs on its own CRM export: the scorecard and the playbook
* ``ui``: the lessons' interface: formatting, charts, widgets, exercises, quizzes, the course map
* ``lessons``: one module per lesson (``m00_start_here`` to ``m11_your_playbook``): its checkers, quiz and views
* ``build``: the course build: the site's Sphinx extensions, the editions, the workshop kit, handouts, checks
* ``paths``: where the course's folders are (one root: ``ALIGNKIT_ROOT``) and the files the package ships
* ``errors``: ``DataError``, the one error raised on bad data (commands exit 2 with its message)
* ``outputs``: writing files whole or not at all, "did you mean" hints, and messages printed safely
* ``markdown_escape``: ``md_text``, the one function that puts typed text into Markdown
* ``cli``: the ``alignkit`` command (``scorecard``, ``playbook``, ``verify``)

Each part imports only parts listed before it, and the foundations ``paths``, ``errors``, ``outputs`` and
``markdown_escape`` (``tests/test_layout.py`` checks it):
the metrics nothing but ``markdown_escape``, the case data the metrics, the team tools and the interface
both of those (not each other), the lessons all of those, the build everything.
"""

__version__ = "0.1.0"
