"""Reports: the figures leaders are judged by, as docs/statistics.md defines them.

facts.py reads each case's facts from its row, ledger and task rows; contribution.py turns them into what the case
contributes to the figures (one definition for the rollups and any recount); folding.py keeps the rollups (the
ledger's writer marks a case, the scheduler folds it in; rebuild, verify); rollups.py reads them. On top: the
summary of a period (summary.py), the ranking, hotspots, public disclosure, exports and the appeals against
counting (申诉, appeals.py), trends, the cases behind a figure (drilldown.py) and the month's focus topic. The
periodic reports are drawn from them in periodic/.

Imports: the rooms below it (people/, taxonomy/ for names and codes) and the base modules; nothing above it.
"""
