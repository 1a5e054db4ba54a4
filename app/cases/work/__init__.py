"""Work on tasks: who may work on a task, claim, release and complete it (tasks.py), assigning it (assignment.py),
drafts, attachments and their allowed file types, and what a task page or a case page shows in one read
(workspace.py).

Imports: every room below it (supervision/, lists/, intake/, clocks/, procedures/, uow/, people/, base).
"""
