"""Demo cases, so that a new user's inboxes are not empty: an appeal of every category waiting at
triage, and complaints in handling, overdue, answered and closed. Only into an empty database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.cases.intake.appeal import Appeal, Party, PetitionerData
from app.cases.intake.public import rate_case
from app.cases.intake.registration import register_case
from app.cases.people.users import principal_of
from app.cases.work.tasks import complete_task
from app.extensions import db
from app.models import CATEGORIES, Case, Task, User, utcnow

APPEALS = {
    "consultation": ("公积金提取需要哪些材料", "想咨询住房公积金提取购房需要准备的材料和办理地点。"),
    "complaint": ("夜间施工噪音扰民", "幸福路工地每晚22点后仍在施工，噪音很大，影响休息。"),
    "suggestion": ("建议增设公交站点", "建议在新城小区北门增设一个公交站点，方便居民出行。"),
    "help": ("独居老人家中断水", "独居老人家中水管破裂已断水两天，需要帮助维修。"),
    "dispute": ("邻里漏水纠纷", "楼上住户卫生间漏水导致楼下天花板受损，双方协商未果。"),
    "incident": ("网络反映小区供暖不达标", "多名居民在网上反映小区供暖温度不达标，引发关注。"),
    "other": ("反映多项问题", "来信反映多项问题，需要分类处理。"),
}
# an accusation against staff (检举控告): confidential, seen by the demo clerk and supervisor only
SECRET = ("举报街道工作人员违规收费", "反映某街道办工作人员在办理居住证时收取额外费用，请求调查。")
PETITIONERS = ("王芳", "李强", "张伟", "刘洋", "陈静", "杨磊", "赵敏")
COMPLAINT_STEPS = [  # (user, form data) from triage to the answer
    ("demo_intake", {"triage_decision": "accept", "department": "ENV"}),
    ("demo_handler", {"facts": "经现场核查，情况属实。", "responsibility": "施工单位", "measures": "责令整改并加强巡查。"}),
    ("demo_head", {"head_decision": "approve"}),
    ("demo_handler", {"answer": "已责令施工单位整改，夜间22点后停止施工。", "feedback_channel": "phone"}),
]


def seed_demo_cases() -> list[str]:
    """Create the demo cases when there are none; report what was created."""
    if db.session.scalar(select(func.count()).select_from(Case)):
        return []
    done = []
    for i, category in enumerate(CATEGORIES):
        number, _ = _register(category, i)
        done.append(f"case {number} ({category}) waiting at triage")
    overdue, _ = _register("complaint", 0, received_days_ago=20, channel="letter")
    done.append(f"case {overdue} (complaint by letter, received 20 days ago) overdue at triage")
    secret, _ = _register("complaint", 5, confidential=True)
    done.append(f"case {secret} (complaint against staff, confidential) waiting at triage")
    for steps, label in ((1, "in handling"), (4, "answered"), (4, "closed")):
        number, code = _register("complaint", steps)
        for username, data in COMPLAINT_STEPS[:steps]:
            _complete(number, username, data)
        if label == "closed":
            rate_case(number, code, 5, "处理及时，满意。")
        done.append(f"case {number} (complaint) {label}")
    return done


def _register(category: str, index: int, received_days_ago: int = 0, channel: str = "hotline",
              confidential: bool = False) -> tuple[str, str]:
    title, description = SECRET if confidential else APPEALS[category]
    appeal = Appeal(
        category=category, channel=channel, title=title, description=description,
        # told by SMS: without a gateway the messages land in the mail folder and on the admins' /messages page
        petitioner=PetitionerData(name=PETITIONERS[index % len(PETITIONERS)], phone=f"1380000{index:04d}", notify_by="sms"),
        parties=(Party("周某", "楼上住户"), Party("吴某", "楼下住户")) if category == "dispute" else (),
        received_at=utcnow() - timedelta(days=received_days_ago) if received_days_ago else None,
        confidential=confidential,
    )
    intake = register_case(appeal, "demo_intake")
    return intake.number, intake.access_code


def _complete(number: str, username: str, data: dict) -> None:
    user = principal_of(db.session.scalar(select(User).where(User.username == username)))
    task_id = db.session.scalar(select(Task.id).join(Case, Case.id == Task.case_id)
                                .where(Case.number == number, Task.state.in_(("ready", "claimed"))))
    complete_task(user, task_id, data)
