"""Periodic reports (docs/statistics.md, "Periodic reports"): the monthly, quarterly and annual report of the office
-- work done, channels, categories, departments and their ranking, hotspots, results, the focus topic and the
comparison with the period before -- archived one per period as HTML and PDF.

archive.py names the periods, makes a period's report once and keeps it, and says which are due (the scheduler's
job); document.py draws one (the figures of reports/, the template, the PDF); charts.py draws its charts (matplotlib).
"""
