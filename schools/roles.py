"""The bureau's roles and the model permissions each one holds, as plain data.

A permission is written as in `user.has_perm()`: "app_label.codename". Shell-style
wildcards are allowed so that a view-only role keeps up with models added to an app
("phases.view_*"); "*.*" is every permission. `schools.services.roles_sync()` turns this
table into Django groups.

Code asks for a permission, never for a group name: "schools.access_all_schools" lifts the data
scope (only "*.*" holds it), "schools.review_annualreport" judges reports. A database made before
a permission was added to a role gets it from `manage.py sync_roles`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    key: str
    group_name: str
    permissions: tuple[str, ...]


# What every read-only role sees: the registry, the reports, computed compliance and the campaign.
_READ_RESULTS = (
    "schools.view_*",
    "reporting.view_*",
    "standards.view_compliancesummary",
    "phases.view_*",
)

ADMIN = Role("admin", "局管理员", ("*.*",))
REVIEWER = Role(
    "reviewer",
    "审核员",
    (
        "schools.view_*",
        "reporting.view_*",
        "schools.change_school",
        "schools.change_annualreport",
        # Return, approve and reopen: what sets a reviewer apart from a clerk, who also edits.
        "schools.review_annualreport",
        # The admin's import writes approved reports in bulk: reviewers and the administrator only.
        "schools.import_school",
        "schools.import_annualreport",
        "standards.view_*",
        "phases.view_*",
        # The campaign's checks: inspection visits, plans, and judging a school's evidence.
        "phases.add_inspectionvisit",
        "phases.change_inspectionvisit",
        "phases.add_rectificationplan",
        "phases.change_rectificationplan",
        "phases.change_gap",
        # A reviewer on site may file the evidence they saw, as well as judge the school's.
        "phases.add_evidence",
        "phases.review_evidence",
        "phases.add_ledgerentry",
        "phases.change_ledgerentry",
        # Taking back a ledger entry recorded in error (its history keeps it).
        "phases.delete_ledgerentry",
    ),
)
CLERK = Role(
    "clerk",
    "学校填报员",
    (
        "schools.view_school",
        "schools.view_annualreport",
        "schools.add_annualreport",
        "schools.change_annualreport",
        # What the school's approved figures mean: the compliance page and its export, own school only.
        "standards.view_compliancesummary",
        # The campaign, for their own school only: its gaps, their plans and the evidence of work done.
        "phases.view_campaign",
        "phases.view_phase",
        "phases.view_trackedschool",
        "phases.view_gap",
        "phases.change_gap",
        "phases.view_rectificationplan",
        "phases.add_rectificationplan",
        "phases.change_rectificationplan",
        "phases.view_evidence",
        "phases.add_evidence",
    ),
)
TOWN = Role("town", "镇街联络员", _READ_RESULTS)
LEADER = Role("leader", "领导小组", _READ_RESULTS)
INSPECTOR = Role("inspector", "上级督导", _READ_RESULTS)

ROLES = (ADMIN, REVIEWER, CLERK, TOWN, LEADER, INSPECTOR)
