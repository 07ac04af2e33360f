"""Demo and benchmark data, kept out of the production apps.

`seed_demo` builds the demo (Kabupaten Pesawaran and a neighbour, through the services:
`builder.py` with the data in `pesawaran.py` and `lampung_selatan.py`, its monitoring trail
in `monitoring.py` and proposals in `workflow.py`) or scale data for benchmarks
(`scale.py` registers, `scale_monitoring.py` their monitoring trail). A production
installation may leave `jalin.demo` out of `INSTALLED_APPS` (`JALIN_DEMO=0`); nothing outside
this package imports it.
"""
