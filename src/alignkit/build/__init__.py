"""The course build: the site's Sphinx extensions, the editions, the workshop kit and the checks.

* ``site``: the site's Sphinx extension (offline charts, exercise forms, front-end scripts; ``site_static/``)
* ``labsite``: the site's side of the lessons' JupyterLab features (``{eval}``, pruned widget state)
* ``editions``: the learner and facilitator editions from one source (a Sphinx extension)
* ``directives``: the facilitator guide's ``{agenda}`` and ``{activity}`` directives (a Sphinx extension)
* ``agendas``: the three workshop agendas
* ``activities``: each lesson's workshop activity and its facilitator notes
* ``kit``: the participants' workshop kit (a zip archive)
* ``hub``: JupyterHub for a room on one machine
* ``labsetup``: JupyterLab without its "fetch news?" prompt, lessons drawn whole (make lab, the hub, the kit)
* ``workshop``: the command line for the kit, the hub and the editions' notebooks
* ``handouts``: the printable templates and agendas as PDFs
* ``notebooks``: running the lessons and saving their outputs; hiding their plumbing cells
* ``labready``: making a lesson ready for JupyterLab (figures, references, quiz)
* ``labclient``: running a lesson so that JupyterLab shows its prose's figures
* ``coursemap``: where the course teaches what, read from the lessons
* ``sitecheck``: serving the built site and its Lighthouse checks
* ``speed``: ``make bench``: the speed figures against their budgets
"""
