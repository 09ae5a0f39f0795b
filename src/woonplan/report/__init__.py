"""The meeting report (``woonplan report``): progress, checks and changes as one self-contained
HTML page, and a PDF of it.

``build`` turns the results (as the plain data of the JSON outputs) into the report's content,
``html`` renders it with Jinja2 and the templates beside it, ``svg`` lays out the charts,
``numbers`` formats every figure, ``pdf`` prints the page with a headless Chromium and ``since``
is the seam to ``woonplan changes``. Imports the results, never the command line; Jinja2 is
imported only here, so other commands never load it.
"""
