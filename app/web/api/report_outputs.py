"""What the figures' routes answer (docs/statistics.md)."""

from __future__ import annotations

from marshmallow import Schema, fields

from .outputs import CaseSummaryOut

COUNTS = ("received", "accepted", "not_accepted", "answered", "closed", "withdrawn", "repeats", "reviews",
          "extensions", "breaches", "notices", "escalations", "rehandled", "open_at_end", "overdue_at_end")


class RateOut(Schema):
    numerator = fields.Integer()
    denominator = fields.Integer()
    rate = fields.Float(allow_none=True, metadata={"description": "numerator / denominator; null when it is 0"})


class RatesOut(Schema):
    on_time = fields.Nested(RateOut, metadata={"description": "按期办结率"})
    response = fields.Nested(RateOut, metadata={"description": "响应率"})
    resolution = fields.Nested(RateOut, metadata={"description": "解决率"})
    satisfaction = fields.Nested(RateOut, metadata={"description": "满意率"})


CountsOut = Schema.from_dict({name: fields.Integer() for name in COUNTS}, name="CountsOut")


class HandlingDaysOut(Schema):
    cases = fields.Integer()
    median = fields.Integer(allow_none=True)
    p90 = fields.Integer(allow_none=True)


class RankedOut(Schema):
    department = fields.String(metadata={"description": "the department's code (a ranking of departments)"})
    handler = fields.String(metadata={"description": "the handler's user name (a head's ranking of handlers)"})
    name = fields.String(allow_none=True)
    received = fields.Integer()
    answered = fields.Integer()
    rates = fields.Nested(RatesOut)
    score = fields.Float(allow_none=True, metadata={"description": "0-100: the weighted rates it has"})
    rank = fields.Integer()
    previous_rank = fields.Integer(allow_none=True)
    change = fields.Integer(allow_none=True, metadata={"description": "places gained since the period before"})


class RankingOut(Schema):
    of = fields.String(metadata={"enum": ["departments", "handlers"]})
    period = fields.Dict(keys=fields.String(), values=fields.String())
    previous = fields.Dict(keys=fields.String(), values=fields.String())
    weights = fields.Dict(keys=fields.String(), values=fields.Float())
    items = fields.List(fields.Nested(RankedOut))


class SummaryOut(Schema):
    period = fields.Dict(keys=fields.String(), values=fields.String(), metadata={"description": "{from, to}"})
    filters = fields.Dict(keys=fields.String(), values=fields.String())
    counts = fields.Nested(CountsOut)
    rates = fields.Nested(RatesOut)
    handling_days = fields.Nested(HandlingDaysOut, metadata={"description": "working days, net of holds"})


class BucketOut(Schema):
    from_ = fields.String(data_key="from")
    to = fields.String()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "received, answered, closed"})
    rates = fields.Nested(RatesOut)


class TrendPreviousOut(Schema):
    from_ = fields.String(data_key="from")
    to = fields.String()
    items = fields.List(fields.Nested(BucketOut))


class TrendOut(Schema):
    period = fields.Dict(keys=fields.String(), values=fields.String())
    grain = fields.String(metadata={"enum": ["day", "week", "month"]})
    filters = fields.Dict(keys=fields.String(), values=fields.String())
    items = fields.List(fields.Nested(BucketOut), metadata={"description": "the period's buckets, oldest first"})
    previous = fields.Nested(TrendPreviousOut, metadata={"description": "the same buckets of the period just before"})


class FocusOut(Schema):
    month = fields.String(metadata={"description": "YYYY-MM"})
    topic = fields.String(metadata={"description": "the topic's code"})
    name = fields.String()
    note = fields.String()
    set_by = fields.String()
    set_by_name = fields.String()
    set_at = fields.String()
    counts = fields.Nested(CountsOut, metadata={"description": "the topic's cases in its month"})
    rates = fields.Nested(RatesOut)
    follow = fields.List(fields.Nested(BucketOut), metadata={"description": "month by month from the focus month"})


class FocusListOut(Schema):
    items = fields.List(fields.Nested(FocusOut))


class ReportOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": ["month", "quarter", "year"]})
    period = fields.String(metadata={"description": "2026-11, 2026-Q4 or 2026"})
    first = fields.Date(data_key="from")
    last = fields.Date(data_key="to")
    sha256 = fields.String(metadata={"description": "of the PDF"})
    generated_by = fields.String()
    generated_at = fields.DateTime()
    state = fields.String(dump_only=True, metadata={
        "description": "after POST: created, kept (archived already), unchanged or replaced (drawn anew)"})


class ReportListOut(Schema):
    items = fields.List(fields.Nested(ReportOut))


class DrilledOut(Schema):
    items = fields.List(fields.Nested(CaseSummaryOut))
    next = fields.String(allow_none=True, metadata={"description": "pass as `after` for the next page; null: the last"})


_SMALL = {"description": 'a count, or "<5" for 1 to 4 (small counts are not published)', "oneOf": [
    {"type": "integer"}, {"type": "string", "enum": ["<5"]}]}


class PublishedCellOut(Schema):
    key = fields.String(allow_none=True)
    count = fields.Raw(metadata=_SMALL)


class PublishedRateOut(Schema):
    numerator = fields.Raw(metadata=_SMALL)
    denominator = fields.Raw(metadata=_SMALL)
    rate = fields.Float(allow_none=True, metadata={"description": "null under 5 cases"})


class PublishedOut(Schema):
    period = fields.Dict(keys=fields.String(), values=fields.String())
    counts = fields.Dict(keys=fields.String(), values=fields.Raw(metadata=_SMALL))
    by_category = fields.List(fields.Nested(PublishedCellOut))
    by_channel = fields.List(fields.Nested(PublishedCellOut))
    by_department = fields.List(fields.Nested(PublishedCellOut))
    by_month = fields.List(fields.Nested(PublishedCellOut))
    rates = fields.Dict(keys=fields.String(), values=fields.Nested(PublishedRateOut))
    small = fields.Integer()


class HotNodeOut(Schema):
    code = fields.String()
    name = fields.String(allow_none=True)
    count = fields.Integer()
    previous = fields.Integer()
    change = fields.Integer()


class HotWordOut(Schema):
    word = fields.String()
    weight = fields.Float(metadata={"description": "TF-IDF over the period's titles (jieba)"})
    cases = fields.Integer(metadata={"description": "titles holding the word"})


class HotspotsOut(Schema):
    period = fields.Dict(keys=fields.String(), values=fields.String())
    previous = fields.Dict(keys=fields.String(), values=fields.String())
    topics = fields.List(fields.Nested(HotNodeOut))
    areas = fields.List(fields.Nested(HotNodeOut))
    rising_topics = fields.List(fields.Nested(HotNodeOut))
    rising_areas = fields.List(fields.Nested(HotNodeOut))
    words = fields.List(fields.Nested(HotWordOut))


class AppealOut(Schema):
    id = fields.Integer()
    number = fields.String(metadata={"description": "the case"})
    title = fields.String()
    department = fields.String(allow_none=True, metadata={"description": "the department contesting (its code)"})
    department_name = fields.String(allow_none=True)
    reason = fields.String()
    filed_by = fields.String()
    filed_at = fields.DateTime()
    state = fields.String(metadata={"description": "pending, upheld or rejected"})
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision = fields.String(allow_none=True)


class AppealListOut(Schema):
    items = fields.List(fields.Nested(AppealOut))
