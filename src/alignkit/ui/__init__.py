"""The lessons' interface: what a learner sees and clicks in a lesson, in JupyterLab and on the site.

* ``course``: the course map: modules, the interview's concepts, each role's path
* ``lessontime``: how long a lesson takes, computed from the lesson itself
* ``present``: formatting numbers, money, names and tables for the prose
* ``inline``: figures in the prose that read the same in JupyterLab and on the site (``{eval}``)
* ``charts``: the lessons' charts (Vega-Lite), offline in both places
* ``labchart``: JupyterLab's offline chart script and view
* ``widgets``: thin widget views over the metrics, and the lesson card
* ``exercises``: decision exercises and the answer checkers' ``Feedback``
* ``quiz``: the lessons' quizzes
* ``onmonday``: what each role does in its first week, per lesson
* ``practice``: the role-play kits' figures
* ``assessment``: the final assessment, its score and its completion record
"""
