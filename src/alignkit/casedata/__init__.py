"""The course's case data: the fictional companies, their tables' schema, the generator and the loader.

* ``companies``: the companies' profiles (Brightline, Northfield)
* ``schema``: every table's columns, types and meaning, and the checked CSV reader (``DataError``)
* ``generate``: the sample data generator (``python -m alignkit.casedata.generate``)
* ``dataset``: ``load_company``: every table of one company, checked, with the periods lessons need
* ``caching``: a cache that hands every caller its own copy (the checkers never share data with the learner)
* ``glance``: the case's headline figures, each defined once (``python -m alignkit.casedata.glance``)
"""
