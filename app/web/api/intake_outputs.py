"""What the routes of who and what answer: petitioner records, intake candidates, topics, areas and dispatch (the
OpenAPI document's schemas)."""

from __future__ import annotations

from marshmallow import Schema, fields

from .outputs import CaseSummaryOut


class PersonOut(Schema):
    id = fields.Integer()
    name = fields.String(metadata={"description": "masked for department staff outside their own cases"})
    cases = fields.Integer(metadata={"description": "every case of the person, whoever may open it"})
    open = fields.Integer()
    last_30_days = fields.Integer()


class HistoryOut(Schema):
    person = fields.Nested(PersonOut, allow_none=True)
    cases = fields.List(fields.Nested(CaseSummaryOut), metadata={"description": "those the caller may open, open "
                                                                              "first, then newest, at most 20"})
    total = fields.Integer()


class RepeatedOut(Schema):
    person = fields.Integer()
    cases = fields.Integer()


class RepeatedListOut(Schema):
    items = fields.List(fields.Nested(RepeatedOut))
    total = fields.Integer()


class ReasonOut(Schema):
    code = fields.String(metadata={"enum": ["same_person", "similar_text", "re_reviewed"]})
    text = fields.String()
    score = fields.Float(metadata={"description": "similar_text: how similar (0-1)"})


class CandidateOut(CaseSummaryOut):
    score = fields.Float(metadata={"description": "0-1: 1 the same caller's open case"})
    reasons = fields.List(fields.Nested(ReasonOut))
    re_reviewed_in = fields.String(allow_none=True, metadata={"description": "the re-review that decided this claim"})


class CandidateListOut(Schema):
    items = fields.List(fields.Nested(CandidateOut))
    total = fields.Integer()


class LinkedRepeatOut(CaseSummaryOut):
    repeat_of = fields.String(metadata={"description": "the number of the open case that handles it"})


class TreeNodeOut(Schema):
    code = fields.String()
    name = fields.String()
    parent = fields.String(allow_none=True)
    level = fields.Integer()
    keywords = fields.List(fields.String())


class TreeListOut(Schema):
    items = fields.List(fields.Nested(TreeNodeOut))
    total = fields.Integer()


class ImportOut(Schema):
    added = fields.Integer()
    updated = fields.Integer()


class DispatchRuleOut(Schema):
    topic = fields.String()
    area = fields.String(allow_none=True)
    department = fields.String()


class DispatchListOut(Schema):
    items = fields.List(fields.Nested(DispatchRuleOut))
    total = fields.Integer()


class DispatchLoadedOut(Schema):
    loaded = fields.Integer()


class SuggestedNodeOut(Schema):
    code = fields.String()
    name = fields.String()
    matched = fields.List(fields.String(), metadata={"description": "the keywords found in the text: why"})


class SuggestionOut(Schema):
    topic = fields.Nested(SuggestedNodeOut, allow_none=True)
    area = fields.Nested(SuggestedNodeOut, allow_none=True)
    department = fields.Dict(allow_none=True, metadata={"description": "{code, name, rule: {topic, area}}"})


class TitlesOut(Schema):
    items = fields.List(fields.Nested(CaseSummaryOut))
    total = fields.Integer(metadata={"description": "up to 1,001 (shown 1,000+)"})


class SearchOut(Schema):
    numbered = fields.List(fields.Nested(CaseSummaryOut))
    people = fields.List(fields.Nested(HistoryOut))
    titles = fields.Nested(TitlesOut)
