"""The words of each message: the shipped templates (zh and en, per kind and channel), an administrator's own
(the message_template table), rendered in Jinja2's sandbox so an edited template can read the facts it is
given and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import select

from app.extensions import db
from app.models import MESSAGE_CHANNELS, MessageTemplate, utcnow

from .. import errors, reference
from ..errors import T
from ..transaction import transaction
from .kinds import COMMON, KINDS, VARIABLES

LOCALES = ("zh", "en")
SMS_MAX = 500  # characters an SMS template may render to (a few concatenated SMS)
_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@dataclass(frozen=True)
class Wording:
    subject: str | None  # e-mail only
    body: str


_TRACK = {"zh": "查询办理进度：{{ track_url }}", "en": "Follow your case: {{ track_url }}"}
SHIPPED: dict[tuple[str, str], dict[str, str]] = {
    ("receipt", "zh"): {
        "subject": "您的诉求已登记（编号 {{ number }}）",
        "email": "{{ name }}您好：\n\n您反映的“{{ title }}”已于{{ received }}登记，编号 {{ number }}，查询码 {{ access_code }}"
                 "（查询和评价时需要，请妥善保存）。\n{% if accept_by %}我们将在{{ accept_by }}前书面告知是否受理"
                 "{% if answer_by %}，受理后在{{ answer_by }}前答复{% endif %}。\n{% endif %}\n" + _TRACK["zh"],
        "sms": "您的诉求已登记，编号{{ number }}，查询码{{ access_code }}。{% if accept_by %}{{ accept_by }}前告知是否受理。"
               "{% endif %}查询：{{ track_url }}",
    },
    ("repeat", "zh"): {
        "subject": "您的诉求将与编号 {{ original }} 的诉求一并办理",
        "email": "{{ name }}您好：\n\n您反映的“{{ title }}”（编号 {{ number }}）与正在办理的诉求（编号 {{ original }}）"
                 "为同一事项，将一并办理、一并答复，不再另行立案。\n\n" + _TRACK["zh"],
        "sms": "您的诉求{{ number }}与正在办理的诉求{{ original }}为同一事项，将一并办理答复。查询：{{ track_url }}",
    },
    ("repeat", "en"): {
        "subject": "Your appeal is handled together with case {{ original }}",
        "email": "Dear {{ name }},\n\nyour appeal \"{{ title }}\" (number {{ number }}) concerns the same matter as case "
                 "{{ original }}, which is being handled: it is handled and answered together with it.\n\n" + _TRACK["en"],
        "sms": "Appeal {{ number }} is handled together with case {{ original }}. Follow it: {{ track_url }}",
    },
    ("receipt", "en"): {
        "subject": "Your appeal is registered (number {{ number }})",
        "email": "Dear {{ name }},\n\nyour appeal \"{{ title }}\" was registered on {{ received }} as number {{ number }}. "
                 "Your access code is {{ access_code }}: keep it, you need it to follow and rate your case.\n"
                 "{% if accept_by %}We will tell you in writing by {{ accept_by }} whether it is accepted"
                 "{% if answer_by %}, and answer by {{ answer_by }} once it is{% endif %}.\n{% endif %}\n" + _TRACK["en"],
        "sms": "Appeal registered: number {{ number }}, access code {{ access_code }}. "
               "{% if accept_by %}Acceptance decided by {{ accept_by }}. {% endif %}{{ track_url }}",
    },
    ("accepted", "zh"): {
        "subject": "受理告知书（编号 {{ number }}）",
        "email": "{{ name }}您好：\n\n您反映的“{{ title }}”（编号 {{ number }}）已受理，我们将在{{ answer_by }}前书面答复。\n\n"
                 + _TRACK["zh"],
        "sms": "您的诉求{{ number }}已受理，将在{{ answer_by }}前答复。查询：{{ track_url }}",
    },
    ("accepted", "en"): {
        "subject": "Your appeal is accepted (number {{ number }})",
        "email": "Dear {{ name }},\n\nyour appeal \"{{ title }}\" (number {{ number }}) is accepted. "
                 "You will have a written answer by {{ answer_by }}.\n\n" + _TRACK["en"],
        "sms": "Appeal {{ number }} accepted; answer by {{ answer_by }}. {{ track_url }}",
    },
    ("not_accepted", "zh"): {
        "subject": "不予受理告知书（编号 {{ number }}）",
        "email": "{{ name }}您好：\n\n您反映的“{{ title }}”（编号 {{ number }}）不予受理，理由如下：\n{{ reason }}\n\n"
                 + _TRACK["zh"],
        "sms": "您的诉求{{ number }}不予受理：{{ reason|truncate(120) }} 详见：{{ track_url }}",
    },
    ("not_accepted", "en"): {
        "subject": "Your appeal is not accepted (number {{ number }})",
        "email": "Dear {{ name }},\n\nyour appeal \"{{ title }}\" (number {{ number }}) is not accepted, for this reason:\n"
                 "{{ reason }}\n\n" + _TRACK["en"],
        "sms": "Appeal {{ number }} not accepted: {{ reason|truncate(120) }} {{ track_url }}",
    },
    ("routed", "zh"): {
        "subject": "您的诉求已转交{{ department }}办理（编号 {{ number }}）",
        "email": "{{ name }}您好：\n\n您反映的“{{ title }}”（编号 {{ number }}）已转交{{ department }}办理"
                 "{% if answer_by %}，答复期限为{{ answer_by }}{% endif %}。\n\n" + _TRACK["zh"],
        "sms": "您的诉求{{ number }}已转交{{ department }}办理。查询：{{ track_url }}",
    },
    ("routed", "en"): {
        "subject": "Your appeal is with {{ department }} (number {{ number }})",
        "email": "Dear {{ name }},\n\nyour appeal \"{{ title }}\" (number {{ number }}) is now handled by {{ department }}"
                 "{% if answer_by %}; the answer is due by {{ answer_by }}{% endif %}.\n\n" + _TRACK["en"],
        "sms": "Appeal {{ number }} is handled by {{ department }}. {{ track_url }}",
    },
    ("extended", "zh"): {
        "subject": "办理期限延长告知（编号 {{ number }}）",
        "email": "{{ name }}您好：\n\n您反映的“{{ title }}”（编号 {{ number }}）办理期限延长至{{ answer_by }}。"
                 "{% if reason %}\n延长理由：{{ reason }}{% endif %}\n\n" + _TRACK["zh"],
        "sms": "您的诉求{{ number }}办理期限延长至{{ answer_by }}。{% if reason %}理由：{{ reason|truncate(80) }}{% endif %}",
    },
    ("extended", "en"): {
        "subject": "More time to handle your appeal (number {{ number }})",
        "email": "Dear {{ name }},\n\nthe answer to your appeal \"{{ title }}\" (number {{ number }}) is now due by "
                 "{{ answer_by }}.{% if reason %}\nReason: {{ reason }}{% endif %}\n\n" + _TRACK["en"],
        "sms": "Appeal {{ number }}: answer now due by {{ answer_by }}.{% if reason %} {{ reason|truncate(80) }}{% endif %}",
    },
    ("answered", "zh"): {
        "subject": "诉求处理意见（编号 {{ number }}）",
        "email": "{{ name }}您好：\n\n您反映的“{{ title }}”（编号 {{ number }}）处理意见如下：\n\n{{ answer }}\n\n"
                 "请对办理结果进行评价：{{ rating_url }}\n"
                 "{% if review_by %}如对处理意见不服，可于{{ review_by }}前请求复查。\n{% endif %}",
        "sms": "您的诉求{{ number }}已答复：{{ answer|truncate(150) }} 请评价：{{ rating_url }}",
    },
    ("answered", "en"): {
        "subject": "The answer to your appeal (number {{ number }})",
        "email": "Dear {{ name }},\n\nthis is the answer to your appeal \"{{ title }}\" (number {{ number }}):\n\n{{ answer }}\n\n"
                 "Please rate it: {{ rating_url }}\n"
                 "{% if review_by %}If you disagree, you may ask for a review by {{ review_by }}.\n{% endif %}",
        "sms": "Appeal {{ number }} answered: {{ answer|truncate(150) }} Rate it: {{ rating_url }}",
    },
    ("closed", "zh"): {
        "subject": "诉求已办结（编号 {{ number }}）",
        "email": "{{ name }}您好：\n\n您反映的“{{ title }}”（编号 {{ number }}）已办结。"
                 "{% if review_by %}如对处理意见不服，可于{{ review_by }}前凭查询码请求{{ review_level }}。{% endif %}\n\n"
                 + _TRACK["zh"],
        "sms": "您的诉求{{ number }}已办结。{% if review_by %}如不服，可于{{ review_by }}前请求{{ review_level }}。{% endif %}",
    },
    ("closed", "en"): {
        "subject": "Your appeal is closed (number {{ number }})",
        "email": "Dear {{ name }},\n\nyour appeal \"{{ title }}\" (number {{ number }}) is closed."
                 "{% if review_by %} If you disagree with the answer, you may ask for a {{ review_level }} by "
                 "{{ review_by }} with your access code.{% endif %}\n\n" + _TRACK["en"],
        "sms": "Appeal {{ number }} closed.{% if review_by %} A {{ review_level }} may be asked by {{ review_by }}.{% endif %}",
    },
}


def shipped(kind: str, channel: str, locale: str) -> Wording:
    words = SHIPPED[(kind, locale)]
    return Wording(words["subject"] if channel == "email" else None, words[channel])


def template_for(kind: str, channel: str, locale: str) -> Wording:
    """The administrator's wording when there is one, else the shipped one."""
    own = reference.message_templates().get((kind, channel, locale))
    return Wording(*own) if own else shipped(kind, channel, locale)


def render(wording: Wording, facts: dict[str, Any]) -> Wording:
    subject = _ENV.from_string(wording.subject).render(facts).strip() if wording.subject else None
    return Wording(" ".join(subject.split()) if subject else None, _ENV.from_string(wording.body).render(facts).strip())


def sample_facts(kind: str, locale: str) -> dict[str, Any]:
    """Facts of an invented case, to try a template before it is saved."""
    zh = locale == "zh"
    facts = {"name": "张三" if zh else "Zhang San", "number": "20270105000042", "title": "夜间施工噪音",
             "track_url": "https://example.org/track?number=20270105000042", "access_code": "ABCD-EFGH",
             "received": "2027年1月5日" if zh else "January 5, 2027", "accept_by": "2027年1月20日" if zh else "January 20, 2027",
             "answer_by": "2027年3月2日" if zh else "March 2, 2027", "reason": "需现场勘验" if zh else "a site visit is needed",
             "department": "生态环境科" if zh else "Environment office", "answer": "已责令停止夜间施工。" if zh else "Night work stopped.",
             "rating_url": "https://example.org/rate/…", "review_by": "2027年4月1日" if zh else "April 1, 2027",
             "review_level": "复查" if zh else "review", "original": "20270104000017"}
    return {name: facts[name] for name in (*COMMON, *VARIABLES[kind])}


def save_template(kind: str, channel: str, locale: str, subject: str | None, body: str, actor: str) -> Wording:
    """An administrator's wording, refused unless it renders with the kind's facts (and fits an SMS)."""
    _check_key(kind, channel, locale)
    subject = (subject or "").strip() or None
    body = (body or "").strip()
    problems: dict[str, list[str]] = {}
    if not body:
        problems["body"] = [T('Must not be blank.')]
    if channel == "email" and not subject:
        problems["subject"] = [T('An e-mail needs a subject.')]
    if problems:
        raise errors.ValidationFailedError(T('the template is not valid'), problems)
    wording = Wording(subject if channel == "email" else None, body)
    try:
        rendered = render(wording, sample_facts(kind, locale))
    except Exception as exc:  # a syntax error, an unknown fact, or {{ 1/0 }}: all refused alike
        raise errors.ValidationFailedError(T('the template is not valid'), {"body": [
            T('the template does not render: %(problem)s', problem=str(exc))]}) from exc
    if channel == "sms" and len(rendered.body) > SMS_MAX:
        raise errors.ValidationFailedError(T('the template is not valid'), {"body": [
            T('an SMS renders to at most %(limit)s characters, this one to %(length)s', limit=SMS_MAX, length=len(rendered.body))]})
    with transaction():
        row = db.session.get(MessageTemplate, (kind, channel, locale))
        if row is None:
            row = MessageTemplate(kind=kind, channel=channel, locale=locale)
            db.session.add(row)
        row.subject, row.body, row.updated_by, row.updated_at = wording.subject, wording.body, actor, utcnow()
    reference.forget()
    return wording


def reset_template(kind: str, channel: str, locale: str) -> None:
    """Back to the shipped wording."""
    _check_key(kind, channel, locale)
    with transaction():
        row = db.session.get(MessageTemplate, (kind, channel, locale))
        if row is not None:
            db.session.delete(row)
    reference.forget()


def templates_overview() -> list[dict[str, Any]]:
    """Every kind × channel × language with the wording in use and whether an administrator changed it."""
    own = {(r.kind, r.channel, r.locale): r for r in db.session.scalars(select(MessageTemplate))}
    out = []
    for kind in KINDS:
        for channel in MESSAGE_CHANNELS:
            for locale in LOCALES:
                row = own.get((kind, channel, locale))
                wording = Wording(row.subject, row.body) if row else shipped(kind, channel, locale)
                out.append({"kind": kind, "channel": channel, "locale": locale, "subject": wording.subject,
                            "body": wording.body, "edited": row is not None,
                            "updated_by": row.updated_by if row else None, "updated_at": row.updated_at if row else None,
                            "variables": (*COMMON, *VARIABLES[kind])})
    return out


def _check_key(kind: str, channel: str, locale: str) -> None:
    if kind not in KINDS or channel not in MESSAGE_CHANNELS or locale not in LOCALES:
        raise errors.NotFoundError(T('no message template %(key)s', key="/".join((kind, channel, locale))))
