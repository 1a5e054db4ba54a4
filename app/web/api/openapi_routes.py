"""Every route of the API as the OpenAPI document lists it (openapi.py builds the document): its request body,
query, and each success response it can give (201 where it creates); errors share one schema."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import (
    admin_outputs,
    case_events,
    intake_outputs,
    lane_schemas,
    migration_schemas,
    outputs,
    process_outputs,
    report_outputs,
    schemas,
    what_if,
)

FILES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "pdf": "application/pdf", "html": "text/html"}
UPLOAD = {"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}
FORM_DATA = {"type": "object", "additionalProperties": True,
             "description": "the task's form fields by name (GET /tasks/{id} lists them); {} for a task without a form"}
ERRORS = (400, 401, 403, 404, 409, 413, 422, 429)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    summary: str
    responses: dict[int, object]  # status -> schema class, "xml", or None (no body)
    body: object = None  # schema class, "multipart", "csv", "form" or None
    query: type | None = None
    public: bool = False
    extra: dict = field(default_factory=dict)


ROUTES = [
    Route("post", "/cases", "Register a case (intake by staff or integration); the access code is shown once",
          {201: outputs.CaseCreated}, body=schemas.CaseIn),
    Route("get", "/cases", "List cases", {200: outputs.CaseListOut}, query=schemas.CaseListArgs),
    Route("get", "/cases/{number}", "A case with its open tasks, notices, process version (and incidents, for admins)",
          {200: outputs.CaseDetailOut}),
    Route("get", "/cases/{number}/timeline", "The case's ledger, oldest first", {200: "LedgerList"}),
    Route("post", "/cases/{number}/attachments", "Attach a file to a case (multipart field 'file'): PDF, PNG, JPEG, plain "
          "text, DOCX or XLSX by content and name, at most MINYI_ATTACHMENT_MAX_BYTES (413 beyond, 422 for other types)",
          {201: outputs.AttachmentOut}, body="multipart"),
    Route("get", "/cases/{number}/attachments", "The case's attachments, oldest first", {200: outputs.AttachmentListOut}),
    Route("get", "/attachments/{id}", "An attachment's file, checked against its SHA-256 (never served when changed)",
          {200: "binary"}),
    Route("get", "/cases/{number}/access-log", "Who saw the petitioner's personal data unmasked, when, through the API or a "
          "page (admins)", {200: outputs.AccessLogOut}),
    Route("post", "/cases/{number}/withdraw", "Withdraw a case not yet answered (the petitioner asked staff): its process "
          "ends, every task and clock with it; 409 once answered", {200: outputs.CaseSummaryOut}, body=schemas.ReasonIn),
    Route("post", "/cases/{number}/review", "Register the petitioner's request for a review (复查) or re-review (复核) of an "
          "answered case, within 30 days: a new linked case (its access code shown once); 409 saying why when not allowed",
          {201: outputs.CaseCreated}, body=schemas.ReasonIn),
    Route("post", "/cases/{number}/hold", "Put a case on hold: no clock runs", {200: outputs.HeldOut}, body=schemas.HoldIn),
    Route("post", "/cases/{number}/resume", "Resume a held case: every moment moves by the paused time in its own unit",
          {200: outputs.CaseSummaryOut}),
    Route("get", "/tasks", "Open tasks: mine, my groups', or all", {200: outputs.TaskListOut}, query=schemas.TaskListArgs),
    Route("get", "/tasks/{id}", "A task with its case summary and form fields", {200: outputs.TaskDetailOut}),
    Route("post", "/tasks/{id}/claim", "Claim a task", {200: outputs.TaskOut}),
    Route("post", "/tasks/{id}/release", "Release a claimed task", {200: outputs.TaskOut}),
    Route("post", "/tasks/{id}/complete", "Complete a task with its form data", {200: outputs.CompletedOut}, body="form"),
    Route("post", "/tasks/{id}/assign", "Assign a task to a user or group (supervisors)", {200: outputs.TaskOut},
          body=schemas.AssignIn),
    Route("post", "/tasks/assign", "Assign several tasks, all or nothing (supervisors)", {200: outputs.TaskListOut},
          body=schemas.BulkAssignIn),
    Route("put", "/tasks/{id}/draft", "Save my draft of a task's form (kept as sent, not validated; replaces my earlier "
          "draft; removed when the task is completed)", {200: outputs.DraftOut}, body="form"),
    Route("get", "/tasks/{id}/draft", "My draft of a task's form; 404 when I have none", {200: outputs.DraftOut}),
    Route("get", "/filters", "My saved inbox filters and those shared with my groups", {200: outputs.SavedFilterListOut}),
    Route("post", "/filters", "Save the inbox's filters under a name, private or shared with one of my groups",
          {201: outputs.SavedFilterOut}, body=schemas.SavedFilterIn),
    Route("delete", "/filters/{id}", "Delete a saved filter of mine (403 for someone else's); answers the deleted filter",
          {200: outputs.SavedFilterOut}),
    Route("get", "/notifications", "My notifications (addressed to me or my groups)", {200: outputs.NotificationListOut},
          query=schemas.NotificationArgs),
    Route("post", "/notifications/{id}/read", "Mark a notification read", {200: outputs.NotificationOut}),
    Route("get", "/notices", "Supervision notices (all for supervisors and leaders; else those addressed to me)",
          {200: outputs.NoticeListOut}, query=schemas.NoticeListArgs),
    Route("post", "/notices", "Issue a supervision notice by hand", {201: outputs.NoticeOut}, body=schemas.NoticeIn),
    Route("post", "/notices/{id}/reply", "Answer a notice addressed to me", {200: outputs.NoticeOut}, body=schemas.NoticeReplyIn),
    Route("get", "/supervision/tasks", "The supervisor console: open tasks in one view (overdue, due today/tomorrow/this "
          "week, at risk, stalled, unassigned, all), most overdue first, with the count of every view",
          {200: outputs.ConsoleListOut}, query=schemas.ConsoleArgs),
    Route("get", "/supervision/workload", "Open, overdue and at-risk work per handler or per department",
          {200: outputs.WorkloadListOut}, query=schemas.WorkloadArgs),
    Route("post", "/cases/{number}/escalate", "Escalate a case to leadership with a reason: an escalation notice (supervisors)",
          {201: outputs.NoticeOut}, body=schemas.ReasonIn),
    Route("post", "/cases/{number}/object", "The handling department objects to the routing within 5 working days: a "
          "notice to the supervisors", {201: outputs.NoticeOut}, body=schemas.ReasonIn),
    Route("post", "/cases/{number}/reroute", "Re-route a case to another department: its open department tasks move there "
          "(supervisors)", {200: outputs.CaseSummaryOut}, body=schemas.RerouteIn),
    Route("get", "/incidents", "Open incidents: cases whose timers failed (admins)", {200: admin_outputs.IncidentListOut}),
    Route("post", "/incidents/{id}/retry", "Retry an incident now (admins)", {200: admin_outputs.IncidentRetryOut}),
    Route("get", "/system", "The schedulers' heartbeats and the open incidents: whether the clocks run (admins)",
          {200: admin_outputs.SystemOut}),
    Route("get", "/incoming", "The incoming queue: mails fetched from the intake mailbox (state new by default)",
          {200: admin_outputs.IncomingListOut}, query=schemas.IncomingListArgs),
    Route("post", "/incoming/{id}/register", "Register a mail as a case: the body is an appeal (as POST /cases); the "
          "mail's files are attached", {201: outputs.CaseCreated}, body=schemas.CaseIn),
    Route("post", "/incoming/{id}/reject", "Reject a mail with a reason", {200: admin_outputs.IncomingOut},
          body=schemas.RejectIn),
    Route("post", "/candidates", "The cases a new appeal may repeat: the same caller's open, recent or re-reviewed "
          "cases and similar texts of the last 90 days, each with a score (0-1) and why",
          {200: intake_outputs.CandidateListOut},
          body=schemas.CandidatesIn),
    Route("post", "/cases/{number}/repeats", "Register an appeal (as POST /cases) as a repeat (重复件) of this open "
          "case: closed at once, handled by it; the petitioner is told which case handles it",
          {201: outputs.CaseCreated}, body=schemas.CaseIn),
    Route("get", "/cases/{number}/candidates", "The triage check of a registered case (web form, e-mail, Open311): "
          "the open or recent cases it may repeat, each with a score and why", {200: intake_outputs.CandidateListOut}),
    Route("post", "/cases/{number}/repeat-of", "At triage: the case repeats the open case `original`; its process "
          "ends as on a withdrawal, it is closed as that case's repeat and the petitioner is told which case handles it",
          {200: intake_outputs.LinkedRepeatOut}, body=schemas.RepeatOfIn),
    Route("post", "/cases/{number}/refusals", "Register an appeal (as POST /cases) as not accepted: the claim of this "
          "case went through re-review (复核) already (Art. 36); the petitioner is told why; 409 when it did not",
          {201: outputs.CaseCreated}, body=schemas.CaseIn),
    Route("get", "/topics", "The topic taxonomy (事项分类): code, name, parent, level, keywords; parents first",
          {200: intake_outputs.TreeListOut}),
    Route("get", "/areas", "The areas (属地): district, street, community; as /topics", {200: intake_outputs.TreeListOut}),
    Route("post", "/topics/import", "Load topics from CSV (code,name,parent,keywords; body text/csv or multipart "
          "field 'file'), all rows or none; a known code is updated (admins)", {200: intake_outputs.ImportOut},
          body="csv"),
    Route("post", "/areas/import", "Load areas from CSV, as /topics/import (admins)", {200: intake_outputs.ImportOut},
          body="csv"),
    Route("get", "/dispatch-rules", "The dispatch table: topic x area (null: anywhere) -> department",
          {200: intake_outputs.DispatchListOut}),
    Route("post", "/dispatch-rules/import", "Load dispatch rules from CSV (topic,area,department), all or none (admins)",
          {200: intake_outputs.DispatchLoadedOut}, body="csv"),
    Route("get", "/suggestions", "The topic, area and department suggested for an appeal's text, with why",
          {200: intake_outputs.SuggestionOut}, query=schemas.SuggestionArgs),
    Route("post", "/cases/{number}/classification", "Change the case's topic and/or area (null clears); in the ledger",
          {200: outputs.CaseSummaryOut}, body=schemas.ClassificationIn),
    Route("post", "/cases/{number}/confidentiality", "Mark the case confidential, or lift it, with the reason (in the "
          "ledger); then only staff cleared for confidential cases see it", {200: outputs.ConfidentialityOut},
          body=schemas.ConfidentialityIn),
    Route("get", "/stats/summary", "The figures of a period (local dates, both included) under optional filters, each "
          "rate as numerator and denominator: docs/statistics.md defines every one (analysts, leaders, supervisors, "
          "admins; a head: their department)", {200: report_outputs.SummaryOut}, query=schemas.StatsArgs),
    Route("get", "/stats/trend", "The figures of a period bucket by bucket (`grain`: day, week or month; by default "
          "days up to two months, weeks up to half a year, months beyond), beside the buckets of the period before",
          {200: report_outputs.TrendOut}, query=schemas.TrendArgs),
    Route("get", "/stats/cases", "The cases behind a figure of the summary (`figure`: a count, open_at_end, "
          "overdue_at_end, or a rate with `part` numerator, denominator or missed), newest first, 50 a page, within "
          "the cases the user may list", {200: report_outputs.DrilledOut}, query=schemas.DrillArgs),
    Route("get", "/stats/focus", "The focus topic (每月一题) of each month the period touches, with the topic's figures "
          "in its month and month by month since (up to a year)", {200: report_outputs.FocusListOut},
          query=schemas.PeriodArgs),
    Route("post", "/stats/focus", "Mark a month's focus topic with a note (leaders, admins); marking the month again "
          "adds a mark, the latest holds", {201: report_outputs.FocusOut}, body=schemas.FocusIn),
    Route("get", "/reports", "The archived periodic reports (monthly, quarterly, annual), newest first",
          {200: report_outputs.ReportListOut}, query=schemas.ReportListArgs),
    Route("post", "/reports", "Make the report of a period that is over (analysts, admins): 201 created; 200 when "
          "archived already (kept) or, with `again`, drawn anew (unchanged: the same bytes; replaced)",
          {200: report_outputs.ReportOut, 201: report_outputs.ReportOut}, body=schemas.ReportIn),
    Route("get", "/reports/{id}.pdf", "A periodic report as PDF", {200: "pdf"}),
    Route("get", "/reports/{id}.html", "A periodic report as a standalone HTML document", {200: "html"}),
    Route("get", "/stats/ranking", "Departments ranked by a score weighting their rates (MINYI_RANKING_WEIGHTS), with "
          "their rank in the period of the same length before (analysts, leaders, supervisors, admins)",
          {200: report_outputs.RankingOut}, query=schemas.PeriodArgs),
    Route("get", "/stats/hotspots", "Hotspots of a period: the topics and areas with the most cases received and the "
          "rising ones against the period before, and the words standing out in the titles (jieba TF-IDF)",
          {200: report_outputs.HotspotsOut}, query=schemas.StatsArgs),
    Route("post", "/cases/{number}/counting-appeals", "Appeal against counting the case for its department (申诉: the "
          "department's head, with the reasons); a supervisor decides", {201: report_outputs.AppealOut},
          body=schemas.ReasonIn),
    Route("get", "/stats/appeals", "Appeals against counting, newest first (a head: their department's)",
          {200: report_outputs.AppealListOut}, query=schemas.AppealListArgs),
    Route("post", "/stats/appeals/{id}/decision", "Uphold an appeal against counting (the case then counts for no "
          "department) or reject it, with the reasons (supervisors); 409 once decided",
          {200: report_outputs.AppealOut}, body=schemas.AppealDecisionIn),
    Route("get", "/stats/export.csv", "One table of the figures (`table`: counts, rates, trend, ranking, topics, areas or "
          "words) as CSV, UTF-8 with a byte-order mark, streamed", {200: "csv"}, query=schemas.ExportArgs),
    Route("get", "/stats/export.xlsx", "Every table of the figures of the period, a sheet each (the ranking for "
          "those who may read it)", {200: "xlsx"}, query=schemas.ExportArgs),
    Route("get", "/search", "One search for staff over the cases they may see: the cases a number names (whole, start "
          "or end), each person a phone, e-mail, ID number or name names with their cases, then titles holding the text",
          {200: intake_outputs.SearchOut}, query=schemas.SearchArgs),
    Route("get", "/people/lookup", "Who is calling: the person a phone number, e-mail address or resident ID number "
          "names, with their cases (person null when nobody)", {200: intake_outputs.HistoryOut}, query=schemas.LookupArgs),
    Route("get", "/people/{id}", "A petitioner record with their cases", {200: intake_outputs.HistoryOut}),
    Route("post", "/people/{id}/merge", "Merge a petitioner record into another one person's (audited, with a reason)",
          {200: intake_outputs.HistoryOut}, body=schemas.MergeIn),
    Route("get", "/people/repeated", "Repeated callers: persons with at least `at_least` cases received in the last "
          "`days`, most first", {200: intake_outputs.RepeatedListOut}, query=schemas.RepeatedArgs),
    Route("get", "/cases/{number}/petitioner/history", "The case's petitioner and their cases",
          {200: intake_outputs.HistoryOut}),
    Route("get", "/messages", "Messages to petitioners, newest first: what left, what waits, what is stuck (admins)",
          {200: admin_outputs.MessageListOut}, query=schemas.MessageListArgs),
    Route("post", "/messages/{id}/retry", "Send a dead or uncertain message again (admins)",
          {200: admin_outputs.MessageOut}),
    Route("get", "/processes", "Deployed process versions with state, active flag and running cases",
          {200: "ProcessVersionList"}),
    Route("post", "/processes", "Upload a BPMN file: published and active unless ?draft=true; ?dry_run=true lints only",
          {201: process_outputs.ProcessDeployedOut, 200: process_outputs.ProcessDeployedOut}, body="multipart",
          query=schemas.ProcessUploadArgs, extra={"200": "the content equals an existing version (or a dry run: Linted)"}),
    Route("get", "/processes/{key}/versions/{version}/bpmn", "The BPMN XML of a version", {200: "xml"}),
    Route("post", "/processes/{key}/versions/{version}/activate",
          "Make this version the one new cases start on (a draft is published): roll back or forward",
          {200: process_outputs.ProcessVersionOut}),
    Route("get", "/processes/{key}/diff", "What changed between two versions, element by element (sequence flows "
          "included; layout is no change), and the bundled forms that differ", {200: migration_schemas.VersionDiffOut},
          query=migration_schemas.VersionPairArgs),
    Route("post", "/processes/{key}/migrations", "Move the running cases of one version to another (published) version: "
          "the safe ones move, each in its own transaction, unsafe ones stay with their reason; dry_run answers the plan "
          "and writes nothing", {201: migration_schemas.MigrationOut, 200: migration_schemas.MigrationPlanOut},
          body=migration_schemas.MigrationIn, extra={"200": "dry run: the plan (MigrationPlanOut)"}),
    Route("get", "/processes/{key}/migrations", "The migrations of a process, newest first, with their counts",
          {200: migration_schemas.MigrationListOut}),
    Route("get", "/migrations/{id}", "A migration: status, counts and every case with its outcome",
          {200: migration_schemas.MigrationOut}),
    Route("post", "/migrations/{id}/rollback", "Put every migrated case back on its previous version, state and clocks, "
          "unless it moved on since (then it is listed as kept, with the reason)", {200: migration_schemas.MigrationOut}),
    Route("get", "/catalogue", "Which process each category starts (process null when unbound)", {200: "CatalogueList"}),
    Route("put", "/catalogue/{category}", "Bind a category to a process with an active version", {200: process_outputs.CatalogueEntryOut},
          body=schemas.CatalogueBindIn),
    Route("post", "/cases/{number}/events/{name}", "Send the message `name` (with `data`) to the case's process, which "
          "must be waiting for it now (a message catch event, an event-based gateway's, a boundary event's); 409 naming "
          "what it waits for", {200: case_events.CaseEventOut}, body=case_events.CaseEventIn),
    Route("get", "/processes/{key}/versions/{version}/what-if", "What-if replay: the cases received in the last `weeks` "
          "(default 8) run again, in memory, with their recorded form data against this version and the active one: "
          "each case's path, where it would stop or fail, its deadlines and late steps under each version's clocks; "
          "the cases that would route differently, be later, stop or fail, would_breach, and the workload per lane "
          "and week. Nothing is written; at most the newest 500 cases (`capped`)", {200: what_if.WhatIfOut},
          query=what_if.WhatIfArgs),
    Route("post", "/processes/{key}/versions/{version}/what-if/runs", "What-if run: every case received in the last "
          "`weeks` replayed by the scheduler (202 with the run, queued); the same question while its run is open "
          "answers that run", {202: what_if.WhatIfRunOut}, query=what_if.WhatIfArgs),
    Route("get", "/what-if/runs/{run_id}", "A what-if run: its state, how many cases it replayed so far, and once done "
          "its result (the cases that would fare differently, the counts, the workload per lane and week)",
          {200: what_if.WhatIfRunOut}),
    Route("get", "/lanes", "The lane map: each lane's or candidate group's name, its group and the active processes "
          "naming it", {200: lane_schemas.LaneListOut}),
    Route("put", "/lanes/{lane}", "Map a lane (or candidate group) name to a group: role, role@* or role@CODE",
          {200: lane_schemas.LaneOut}, body=lane_schemas.LaneMapIn),
    Route("delete", "/lanes/{lane}", "Remove a mapping (409 while an active process's tasks would then reach nobody)",
          {204: None}),
    Route("put", "/processes/{key}/default-group", "Set the group doing the tasks a process's diagram gives to nobody "
          "(no lane, no candidate group); null: the intake group", {200: lane_schemas.DefaultGroupOut},
          body=lane_schemas.DefaultGroupIn),
    Route("get", "/public/stats", "The office's published figures of a period (no login; default the last twelve "
          "whole months): received by category, channel, department and month, answered, closed, the four rates; no "
          "personal data, no confidential case, counts of 1-4 as \"<5\"", {200: report_outputs.PublishedOut},
          query=schemas.PublicStatsArgs, public=True),
    Route("get", "/public/cases/{number}", "A petitioner's view of their case (no login)", {200: outputs.PublicCaseOut},
          query=schemas.PublicLookupArgs, public=True),
    Route("post", "/public/cases/{number}/withdraw", "The petitioner withdraws a case not yet answered (no login); 409 "
          "saying why once answered", {200: outputs.PublicCaseOut}, body=schemas.PublicReasonIn, public=True),
    Route("post", "/public/cases/{number}/review", "The petitioner asks for a review (复查) or re-review (复核) within "
          "30 days of the answer (no login): a new linked case; 409 saying why when not allowed", {201: outputs.CaseCreated},
          body=schemas.PublicReasonIn, public=True),
    Route("post", "/public/cases/{number}/rating", "The petitioner rates the answer (no login)", {200: outputs.PublicCaseOut},
          body=schemas.RatingIn, public=True),
    Route("get", "/users/{username}/tokens", "A user's API tokens, revoked and expired ones included (admins)",
          {200: admin_outputs.TokenListOut}),
    Route("post", "/tokens/{id}/revoke", "Revoke an API token: it stops working at once; 409 when revoked already (admins)",
          {200: admin_outputs.TokenOut}),
    Route("post", "/users/{username}/deactivate",
          "Cut a user off: their tokens and sessions stop working at once; 409 when inactive already (admins)",
          {200: admin_outputs.UserOut}),
    Route("post", "/users/{username}/activate", "Undo a deactivation; 409 when active already (admins)",
          {200: admin_outputs.UserOut}),
]
