"""The campaign and its plan, the tracked schools and their gaps, evidence, phase records and the
city's targets."""

from phases.models.campaign import (
    Campaign,
    FollowUpAction,
    LeadershipUnit,
    Meeting,
    Phase,
    Task,
    TaskUpdate,
    WorkStatus,
)
from phases.models.city import CityTarget, CityTargetValue
from phases.models.evidence import Attachment, Delivery, DeliveryLine, Evidence
from phases.models.progress import InspectionVisit, LedgerEntry, LedgerItem
from phases.models.reminders import ReminderLog
from phases.models.tracking import Gap, RectificationPlan, TrackedSchool, UnitCost

__all__ = [
    "Attachment",
    "Campaign",
    "CityTarget",
    "CityTargetValue",
    "Delivery",
    "DeliveryLine",
    "Evidence",
    "FollowUpAction",
    "Gap",
    "InspectionVisit",
    "LeadershipUnit",
    "LedgerEntry",
    "LedgerItem",
    "Meeting",
    "Phase",
    "RectificationPlan",
    "ReminderLog",
    "Task",
    "TaskUpdate",
    "TrackedSchool",
    "UnitCost",
    "WorkStatus",
]
