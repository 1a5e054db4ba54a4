"""Reports: the figures leaders are judged by, as docs/statistics.md defines them -- the facts of each case read
from its row, its ledger and its task rows (facts.py), and the summary of a period under filters (summary.py).
Rankings, hotspots, periodic reports, public disclosure and the rollups that keep them fast at ten years of a city
come here too.

Imports: the rooms below it (people/, taxonomy/ for names and codes) and the base modules; nothing above it.
"""
