"""The permission matrix: every role × every URL of the site × an object inside and outside the
user's scope, with the exact status code each cell must answer.

An object outside the scope answers 404, an action the role does not allow answers 403, a page
that takes no GET answers 405, and a visitor who is not logged in is sent to a login page. The
expected codes are written out below from the roles (`schools.roles`), not computed. The first
test fails when the site gains a URL the tables do not list, so the matrix stays complete.
"""

import io
import json
from datetime import date

import openpyxl
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import BooleanField
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from phases.models import (
    Attachment,
    Campaign,
    CityTarget,
    CityTargetValue,
    Delivery,
    DeliveryLine,
    Evidence,
    FollowUpAction,
    Gap,
    InspectionVisit,
    LeadershipUnit,
    LedgerEntry,
    LedgerItem,
    Meeting,
    Phase,
    RectificationPlan,
    ReminderLog,
    Task,
    TaskUpdate,
    TrackedSchool,
    UnitCost,
)
from phases.services_city import action_add, attachment_add, meeting_record, task_update
from reporting.models import FieldQuery, QueryMessage, ReportEvent, ReportingYear, ReportRule
from schools.models import AnnualReport, ImportBatch, School, Scope
from schools.roles import ROLES
from schools.services import demo_user_sync, roles_sync, scope_set
from standards.models import BalanceRule, ComplianceSummary, PassRule, Threshold
from standards.services import compliance_recompute
from tests import factories as f

IN, OUT = "3303820001", "3303820002"
IN_NAME, OUT_NAME = "柳市一小", "虹桥一小"
D, S, A = AnnualReport.Status.DRAFT, AnnualReport.Status.SUBMITTED, AnnualReport.Status.APPROVED
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
FIGURES = {"students_primary": 100, "classes_primary": 4, "teachers_primary": 5, "computers": 5, "books": 900}
# Report years: 2012 approved (compliance results), 2013 submitted (to review), 2014 draft (to fill in).
APPROVED_YEAR, SUBMITTED_YEAR, DRAFT_YEAR, NEW_YEAR = 2012, 2013, 2014, 2015

COLUMNS = ("anonymous", "admin", "reviewer", "clerk", "town", "leader", "inspector")
# Cells: a status code, or "login" for a redirect (302) to the site's or the admin's login page.
LOGIN = "login"


# --- GET of the site's own pages ---------------------------------------------------------------
# "<url name> in" / "<url name> out": the school (or its report) inside / outside the user's scope.
# Everyone but the bureau administrator is scoped to 柳市镇 (the clerk: to 柳市一小 alone).
# fmt: off
#                                      anonymous admin reviewer clerk town leader inspector
PAGES = {
    "home":                              "login 200 200 200 200 200 200",
    "login":                             "200   200 200 200 200 200 200",
    "logout":                            "login 405 405 405 405 405 405",
    "set_language":                      "302   302 302 302 302 302 302",
    "reporting:mine":                    "login 302 302 302 302 302 302",
    "reporting:queue":                   "login 200 200 200 200 200 200",
    "reporting:completeness":            "login 200 200 200 200 200 200",
    "reporting:entry in":                "login 200 200 200 200 200 200",
    "reporting:entry out":               "login 200 404 404 404 404 404",
    "reporting:review in":               "login 200 200 200 200 200 200",
    "reporting:review out":              "login 200 404 404 404 404 404",
    # Each write on a report is its own URL, POST only (the writes themselves: WRITES below).
    "reporting:start":                   "login 405 405 405 405 405 405",
    "reporting:save":                    "login 405 405 405 405 405 405",
    "reporting:submit":                  "login 405 405 405 405 405 405",
    "reporting:preview":                 "login 405 405 405 405 405 405",
    "reporting:upload":                  "login 405 405 405 405 405 405",
    "reporting:return":                  "login 405 405 405 405 405 405",
    "reporting:approve":                 "login 405 405 405 405 405 405",
    "reporting:reopen":                  "login 405 405 405 405 405 405",
    "reporting:query_raise":             "login 405 405 405 405 405 405",
    "reporting:query_reply":             "login 405 405 405 405 405 405",
    "reporting:query_close":             "login 405 405 405 405 405 405",
    "dashboard:compliance":              "login 200 200 200 200 200 200",
    "dashboard:balance":                 "login 200 200 200 200 200 200",
    # Another county's balance (?county=): only for whoever sees that county whole; a scope of
    # one town holds no county, so every scoped role gets 404.
    "dashboard:balance out":             "login 200 404 404 404 404 404",
    # The county table: every role that sees regions (not the clerk); a scope of one town lists
    # no county (an empty table), the administrator every county.
    "dashboard:counties":                "login 200 200 403 200 200 200",
    "dashboard:counties_export":         "login 200 200 403 200 200 200",
    "dashboard:recompute":               "login 405 405 405 405 405 405",
    "dashboard:school in":               "login 200 200 200 200 200 200",
    "dashboard:school out":              "login 200 404 404 404 404 404",
    # The campaign's pages: a gap's (a school's is not yet built: every answer is 404).
    "phases:gap in":                     "login 200 200 200 200 200 200",
    "phases:gap out":                    "login 200 404 404 404 404 404",
    # Each write on a gap is its own URL, POST only (the writes themselves: WRITES below).
    "phases:plan_save":                  "login 405 405 405 405 405 405",
    "phases:gap_start":                  "login 405 405 405 405 405 405",
    "phases:gap_claim":                  "login 405 405 405 405 405 405",
    "phases:evidence_add":               "login 405 405 405 405 405 405",
    "phases:evidence_decide":            "login 405 405 405 405 405 405",
    # Evidence files: to whoever's scope holds the school; attachments: to whoever reads the
    # city's work (the clerk's role does not).
    "phases:evidence_file in":           "login 200 200 200 200 200 200",
    "phases:evidence_file out":          "login 200 404 404 404 404 404",
    "phases:attachment_file":            "login 200 200 403 200 200 200",
    # Everyone's own work: what they own, within their scope.
    "phases:my_work":                    "login 200 200 200 200 200 200",
    # The city's targets: every role but the clerk (the clerk's role holds no city target); a
    # scoped role sees the figures of its own schools. Values are entered by the administrator.
    "phases:targets":                    "login 200 200 403 200 200 200",
    "phases:target_value_enter":         "login 405 405 405 405 405 405",
    "phases:target_value_file":          "login 200 200 403 200 200 200",
    # The what-if of closing a gap: whoever sees the gap (a clerk: their own school's).
    "phases:whatif in":                  "login 200 200 200 200 200 200",
    "phases:whatif out":                 "login 200 404 404 404 404 404",
    # The city's work: tasks, meetings and the purchase list are the bureau's, read by every role
    # but the clerk; their files are downloads for the same roles. Writes: WRITES below.
    "phases:tasks":                      "login 200 200 403 200 200 200",
    "phases:task":                       "login 200 200 403 200 200 200",
    "phases:task_update":                "login 405 405 405 405 405 405",
    "phases:task_assign":                "login 405 405 405 405 405 405",
    "phases:task_attach":                "login 405 405 405 405 405 405",
    "phases:meetings":                   "login 200 200 403 200 200 200",
    "phases:meeting_record":             "login 405 405 405 405 405 405",
    "phases:meeting":                    "login 200 200 403 200 200 200",
    "phases:meeting_attach":             "login 405 405 405 405 405 405",
    "phases:action_add":                 "login 405 405 405 405 405 405",
    "phases:action_update":              "login 405 405 405 405 405 405",
    "phases:action_assign":              "login 405 405 405 405 405 405",
    "phases:action_attach":              "login 405 405 405 405 405 405",
    # The purchase list is cut to the user's scope (see SOURCES); the clerk has no unit costs.
    "phases:purchases":                  "login 200 200 403 200 200 200",
    "phases:purchases_export":           "login 200 200 403 200 200 200",
    "phases:delivery_record":            "login 405 405 405 405 405 405",
    # The matrix, the severe list and a tracked school's page: every role reads them in its scope.
    "phases:matrix":                     "login 200 200 200 200 200 200",
    "phases:matrix_export":              "login 200 200 200 200 200 200",
    "phases:severe":                     "login 200 200 200 200 200 200",
    "phases:tracked_add":                "login 405 405 405 405 405 405",
    "phases:severe_export":              "login 200 200 200 200 200 200",
    "phases:school in":                  "login 200 200 200 200 200 200",
    "phases:school out":                 "login 200 404 404 404 404 404",
    # A tracked school's writes, POST only (the writes themselves: WRITES below).
    "phases:visit_record":               "login 405 405 405 405 405 405",
    "phases:visit_sign_off":             "login 405 405 405 405 405 405",
    "phases:ledger_record":              "login 405 405 405 405 405 405",
    "phases:ledger_remove":              "login 405 405 405 405 405 405",
    "reporting:template":         "login 200 200 200 200 200 200",
    "dashboard:export_schools":          "login 200 200 200 200 200 200",
    "dashboard:export_reports":          "login 200 200 200 200 200 200",
    # The clerk's role holds no permission on computed results.
    "dashboard:export_compliance":       "login 200 200 200 200 200 200",
    # The admin's own pages. Every role is staff; an app with nothing the user may see is
    # Django's 404, and a page that takes no GET is 405.
    "admin:index":                       "login 200 200 200 200 200 200",
    "admin:login":                       "200   302 302 302 302 302 302",
    "admin:logout":                      "login 405 405 405 405 405 405",
    "admin:password_change":             "login 200 200 200 200 200 200",
    "admin:password_change_done":        "login 200 200 200 200 200 200",
    "admin:autocomplete":                "login 403 403 403 403 403 403",
    "admin:jsi18n":                      "login 200 200 200 200 200 200",
    # Schools have no page of their own outside the admin: "view on site" finds nothing.
    "admin:view_on_site in":             "login 404 404 404 404 404 404",
    "admin:view_on_site out":            "login 404 404 404 404 404 404",
    "admin:app_list auth":               "login 200 404 404 404 404 404",
    "admin:app_list axes":               "login 200 404 404 404 404 404",
    "admin:app_list schools":            "login 200 200 200 200 200 200",
    "admin:app_list standards":          "login 200 200 200 200 200 200",
    "admin:app_list phases":             "login 200 200 200 200 200 200",
    "admin:app_list reporting":          "login 200 200 404 200 200 200",
    "admin:catch_all":                   "login 404 404 404 404 404 404",
}

# --- GET of each registered model's admin pages, by the model's kind -----------------------------
# Scoped models (a school, or what belongs to one) have "in" and "out" objects; the others one.
#                          anonymous admin reviewer clerk town leader inspector
SCHOOL = {
    "changelist":         "login 200 200 200 200 200 200",
    "add":                "login 200 403 403 403 403 403",
    "change in":          "login 200 200 200 200 200 200",
    "change out":         "login 200 404 404 404 404 404",
    "delete in":          "login 200 403 403 403 403 403",
    "delete out":         "login 200 404 404 404 404 404",
    "history in":         "login 200 200 200 200 200 200",
    "history out":        "login 200 404 404 404 404 404",
    "redirect in":        "login 302 302 302 302 302 302",
    "redirect out":       "login 302 302 302 302 302 302",
    "simple_history in":  "login 200 200 200 200 200 200",
    "simple_history out": "login 200 404 404 404 404 404",
    "import":             "login 200 200 403 403 403 403",
    "process_import":     "login 405 405 405 405 405 405",
    "export":             "login 200 200 200 200 200 200",
}
REPORT = {
    "changelist":         "login 200 200 200 200 200 200",
    "add":                "login 403 403 403 403 403 403",
    "change in":          "login 200 200 200 200 200 200",
    "change out":         "login 200 404 404 404 404 404",
    "delete in":          "login 200 403 403 403 403 403",
    "delete out":         "login 200 404 404 404 404 404",
    "history in":         "login 200 200 200 200 200 200",
    "history out":        "login 200 404 404 404 404 404",
    "redirect in":        "login 302 302 302 302 302 302",
    "redirect out":       "login 302 302 302 302 302 302",
    "import":             "login 200 200 403 403 403 403",
    "process_import":     "login 405 405 405 405 405 405",
    "export":             "login 200 200 200 200 200 200",
}
# Computed compliance: seen by every role (a clerk: their own school), added or changed by nobody.
RESULTS = {
    "changelist":         "login 200 200 200 200 200 200",
    "add":                "login 403 403 403 403 403 403",
    "change in":          "login 200 200 200 200 200 200",
    "change out":         "login 200 404 404 404 404 404",
    "delete in":          "login 200 403 403 403 403 403",
    "delete out":         "login 200 404 404 404 404 404",
    "history in":         "login 200 200 200 200 200 200",
    "history out":        "login 200 404 404 404 404 404",
    "redirect in":        "login 302 302 302 302 302 302",
    "redirect out":       "login 302 302 302 302 302 302",
}
# Regions, scopes and the campaign: seen by every role but the clerk, changed by the administrator.
SEEN_BY_ALL_BUT_CLERK = {
    "changelist":         "login 200 200 403 200 200 200",
    "add":                "login 200 403 403 403 403 403",
    "change":             "login 200 200 403 200 200 200",
    "delete":             "login 200 403 403 403 403 403",
    "history":            "login 200 200 403 200 200 200",
    "redirect":           "login 302 302 302 302 302 302",
}
# The campaign, with its history of changes. The clerk reads it too: it is why their school's gaps exist.
CAMPAIGN = {**SEEN_BY_ALL_BUT_CLERK, "simple_history": "login 200 200 403 200 200 200"}
CAMPAIGN_READ = {
    **CAMPAIGN,
    "changelist":         "login 200 200 200 200 200 200",
    "change":             "login 200 200 200 200 200 200",
    "history":            "login 200 200 200 200 200 200",
    "simple_history":     "login 200 200 200 200 200 200",
}
# What the campaign tracks at a school (tracked schools, gaps, rectification plans): seen by every
# role within the scope (a clerk: their own school); changed by the administrator, reviewers and
# the school's clerk through the services. Tracked schools and gaps come from enrolment, never
# added by hand.
TRACKED = {
    "changelist":         "login 200 200 200 200 200 200",
    "add":                "login 200 200 200 403 403 403",
    "change in":          "login 200 200 200 200 200 200",
    "change out":         "login 200 404 404 404 404 404",
    "delete in":          "login 200 403 403 403 403 403",
    "delete out":         "login 200 404 404 404 404 404",
    "history in":         "login 200 200 200 200 200 200",
    "history out":        "login 200 404 404 404 404 404",
    "redirect in":        "login 302 302 302 302 302 302",
    "redirect out":       "login 302 302 302 302 302 302",
    "simple_history in":  "login 200 200 200 200 200 200",
    "simple_history out": "login 200 404 404 404 404 404",
}
ENROLLED = {**TRACKED, "add": "login 403 403 403 403 403 403"}
# A city target's yearly value: entered on the targets page (its file checked there), read here.
CITY_VALUE = {
    **CAMPAIGN,
    "add":                "login 403 403 403 403 403 403",
}
# The city's files: uploaded on the task and meeting pages (their content checked there), never
# added in the admin.
UPLOADED_ON_PAGES = {**CAMPAIGN, "add": "login 403 403 403 403 403 403"}
# Deliveries and their lines name schools: seen within the scope (a delivery when one of its lines
# is), by every role but the clerk; recorded on the purchase list, never added in the admin. The
# scope is checked first, so a clerk meets 404 outside their school and 403 inside it.
DELIVERED = {
    "changelist":         "login 200 200 403 200 200 200",
    "add":                "login 403 403 403 403 403 403",
    "change in":          "login 200 200 403 200 200 200",
    "change out":         "login 200 404 404 404 404 404",
    "delete in":          "login 200 403 403 403 403 403",
    "delete out":         "login 200 404 404 404 404 404",
    "history in":         "login 200 200 403 200 200 200",
    "history out":        "login 200 404 404 404 404 404",
    "redirect in":        "login 302 302 302 302 302 302",
    "redirect out":       "login 302 302 302 302 302 302",
    "simple_history in":  "login 200 200 403 200 200 200",
    "simple_history out": "login 200 404 404 404 404 404",
}
# What the phases record at a school beyond the reports (inspection visits, ledger entries): seen
# by every role but the clerk within the scope, written by reviewers and the administrator. Out of
# the scope is 404 before any role is asked, the clerk's too.
VISITS = {
    "changelist":         "login 200 200 403 200 200 200",
    "add":                "login 200 200 403 403 403 403",
    "change in":          "login 200 200 403 200 200 200",
    "change out":         "login 200 404 404 404 404 404",
    "delete in":          "login 200 403 403 403 403 403",
    "delete out":         "login 200 404 404 404 404 404",
    "history in":         "login 200 200 403 200 200 200",
    "history out":        "login 200 404 404 404 404 404",
    "redirect in":        "login 302 302 302 302 302 302",
    "redirect out":       "login 302 302 302 302 302 302",
    "simple_history in":  "login 200 200 403 200 200 200",
    "simple_history out": "login 200 404 404 404 404 404",
}
# A ledger entry recorded in error is taken back by a reviewer.
LEDGER = {**VISITS, "delete in": "login 200 200 403 403 403 403"}
# The standards themselves: seen by reviewers, changed by the administrator.
STANDARD = {
    "changelist":         "login 200 200 403 403 403 403",
    "add":                "login 200 403 403 403 403 403",
    "change":             "login 200 200 403 403 403 403",
    "delete":             "login 200 403 403 403 403 403",
    "history":            "login 200 200 403 403 403 403",
    "redirect":           "login 302 302 302 302 302 302",
    "simple_history":     "login 200 200 403 403 403 403",
}
# Accounts and login records: the administrator's alone.
ACCOUNTS = {
    "changelist":         "login 200 403 403 403 403 403",
    "add":                "login 200 403 403 403 403 403",
    "change":             "login 200 403 403 403 403 403",
    "delete":             "login 200 403 403 403 403 403",
    "history":            "login 200 403 403 403 403 403",
    "redirect":           "login 302 302 302 302 302 302",
}
# The report's checks: seen by every role but the clerk; a built-in rule is switched off, not deleted.
# Accounts, groups and data scopes keep a history of their changes, for the administrator.
ACCOUNTS_WITH_HISTORY = {**ACCOUNTS, "simple_history": "login 200 403 403 403 403 403"}
# Import batches: read by the administrator, written by imports only, never deleted.
IMPORT_BATCHES = {
    **ACCOUNTS,
    "add":                "login 403 403 403 403 403 403",
    "delete":             "login 403 403 403 403 403 403",
}
RULE = {
    **SEEN_BY_ALL_BUT_CLERK,
    "delete":             "login 403 403 403 403 403 403",
    "simple_history":     "login 200 200 403 200 200 200",
}
# The years open for reporting: seen by every role but the clerk, opened by the administrator.
YEAR = {**SEEN_BY_ALL_BUT_CLERK, "simple_history": "login 200 200 403 200 200 200"}
USER = {**ACCOUNTS_WITH_HISTORY, "password_change": "login 200 403 403 403 403 403"}
LOGINS = {**ACCOUNTS, "add": "login 403 403 403 403 403 403"}  # written by django-axes only

ADMIN_MODELS = {
    "auth.group": ACCOUNTS_WITH_HISTORY,
    "auth.user": USER,
    "axes.accessattempt": LOGINS,
    "axes.accesslog": LOGINS,
    "axes.accessfailurelog": LOGINS,
    "schools.region": SEEN_BY_ALL_BUT_CLERK,
    "schools.school": SCHOOL,
    "schools.scope": ACCOUNTS_WITH_HISTORY,  # a scope names schools of other towns
    "schools.importbatch": IMPORT_BATCHES,
    "schools.annualreport": REPORT,
    "reporting.reportrule": RULE,
    "reporting.reportingyear": YEAR,
    "standards.standard": STANDARD,
    "standards.indicator": STANDARD,
    "standards.threshold": STANDARD,
    "standards.passrule": STANDARD,
    "standards.balancerule": STANDARD,
    "standards.compliancesummary": RESULTS,
    "phases.campaign": CAMPAIGN_READ,
    "phases.phase": CAMPAIGN_READ,
    "phases.task": CAMPAIGN,
    "phases.leadershipunit": CAMPAIGN,
    "phases.trackedschool": ENROLLED,
    "phases.gap": ENROLLED,
    # Plans are made on the gap's page; evidence is uploaded there (its content checked).
    "phases.rectificationplan": ENROLLED,
    "phases.evidence": ENROLLED,
    "phases.unitcost": CAMPAIGN,
    # What the daily reminders sent: read by the administrator, written by send_reminders only.
    "phases.reminderlog": IMPORT_BATCHES,
    "phases.citytarget": CAMPAIGN,
    "phases.citytargetvalue": CITY_VALUE,
    "phases.taskupdate": CAMPAIGN,
    "phases.meeting": CAMPAIGN,
    "phases.followupaction": CAMPAIGN,
    "phases.attachment": UPLOADED_ON_PAGES,
    "phases.delivery": DELIVERED,
    "phases.deliveryline": DELIVERED,
    "phases.inspectionvisit": VISITS,
    "phases.ledgeritem": CAMPAIGN,
    "phases.ledgerentry": LEDGER,
}
# fmt: on

# --- POSTs that write: after a refusal nothing has changed, after a 302 something has -------------
# fmt: off
# Only drafts and returned reports are edited, by the clerk, a reviewer or the administrator.
#                                      anonymous admin reviewer clerk town leader inspector
WRITES = {
    "start in":                          "login 302 302 302 403 403 403",
    "start out":                         "login 302 404 404 404 404 404",
    "save draft in":                     "login 302 302 302 403 403 403",
    "save draft out":                    "login 302 404 404 404 404 404",
    "submit draft in":                   "login 302 302 302 403 403 403",
    "submit draft out":                  "login 302 404 404 404 404 404",
    "save submitted in":                 "login 403 403 403 403 403 403",
    "save submitted out":                "login 403 404 404 404 404 404",
    "upload draft in":                   "login 302 302 302 403 403 403",
    "upload draft out":                  "login 302 404 404 404 404 404",
    # Previewing posts the typed figures and stores nothing.
    "preview draft in":                  "login 200 200 200 403 403 403",
    "preview draft out":                 "login 200 404 404 404 404 404",
    "approve in":                        "login 302 302 403 403 403 403",
    "approve out":                       "login 302 404 404 404 404 404",
    # Approving without ticking "checked" shows the page again, approving nothing.
    "approve unchecked in":              "login 200 200 403 403 403 403",
    "approve unchecked out":             "login 200 404 404 404 404 404",
    "return in":                         "login 302 302 403 403 403 403",
    "return out":                        "login 302 404 404 404 404 404",
    "reopen in":                         "login 302 302 403 403 403 403",
    "reopen out":                        "login 302 404 404 404 404 404",
    # Queries: raised and closed by reviewers, answered by whoever may edit the report.
    "raise query in":                    "login 302 302 403 403 403 403",
    "raise query out":                   "login 302 404 404 404 404 404",
    "reply query in":                    "login 302 302 302 403 403 403",
    "reply query out":                   "login 302 404 404 404 404 404",
    "close query in":                    "login 302 302 403 403 403 403",
    "close query out":                   "login 302 404 404 404 404 404",
    # Reports are read, not edited, in the admin: their figures change through the workflow.
    "admin change draft in":             "login 403 403 403 403 403 403",
    "admin change draft out":            "login 403 404 404 404 404 404",
    "admin change submitted in":         "login 403 403 403 403 403 403",
    # Approving is done on the review page, never by setting the status in the admin.
    "admin approve draft in":            "login 403 403 403 403 403 403",
    # A report is started on its page or imported, not added in the admin.
    "admin add report in":               "login 403 403 403 403 403 403",
    "admin add report out":              "login 403 403 403 403 403 403",
    "admin change school in":            "login 302 302 403 403 403 403",
    "admin change school out":           "login 302 404 404 404 404 404",
    "admin revert school in":            "login 302 302 403 403 403 403",
    "admin revert school out":           "login 302 404 404 404 404 404",
    # Tracking a candidate school (one the campaign does not track yet): the bureau's administrator
    # alone.
    "add tracked in":                    "login 302 403 403 403 403 403",
    "add tracked out":                   "login 302 403 403 403 403 403",
    # The phases' records at a school: by reviewers and the administrator, in their scope.
    "record visit in":                   "login 302 302 403 403 403 403",
    "record visit out":                  "login 302 404 404 404 404 404",
    "sign off visit in":                 "login 302 302 403 403 403 403",
    "sign off visit out":                "login 302 404 404 404 404 404",
    "record ledger in":                  "login 302 302 403 403 403 403",
    "record ledger out":                 "login 302 404 404 404 404 404",
    "remove ledger in":                  "login 302 302 403 403 403 403",
    "remove ledger out":                 "login 302 404 404 404 404 404",
    # Recomputing stale results: by those who change standards or approve reports. Results derive
    # from approved reports alone, so a reviewer's recompute covers the county, whatever the scope.
    "recompute in":                      "login 302 302 403 403 403 403",
    "recompute out":                     "login 302 302 403 403 403 403",
    # A city target's value: the administrator's (the targets are the city's, not a school's).
    "enter target value in":             "login 302 403 403 403 403 403",
    # A gap's plan, work and evidence: by the school's clerk, reviewers and the administrator;
    # judging evidence by reviewers and the administrator.
    "plan save in":                      "login 302 302 302 403 403 403",
    "plan save out":                     "login 302 404 404 404 404 404",
    "admin change plan in":              "login 302 302 302 403 403 403",
    "admin change plan out":             "login 302 404 404 404 404 404",
    "start work in":                     "login 302 302 302 403 403 403",
    "start work out":                    "login 302 404 404 404 404 404",
    "claim done in":                     "login 302 302 302 403 403 403",
    "claim done out":                    "login 302 404 404 404 404 404",
    "add evidence in":                   "login 302 302 302 403 403 403",
    "add evidence out":                  "login 302 404 404 404 404 404",
    "decide evidence in":                "login 302 302 403 403 403 403",
    "decide evidence out":               "login 302 404 404 404 404 404",
    # The city's work is written by the bureau (the administrator) alone.
    "task update in":                    "login 302 403 403 403 403 403",
    "task assign in":                    "login 302 403 403 403 403 403",
    "task attach in":                    "login 302 403 403 403 403 403",
    "meeting record in":                 "login 302 403 403 403 403 403",
    "meeting attach in":                 "login 302 403 403 403 403 403",
    "action add in":                     "login 302 403 403 403 403 403",
    "action update in":                  "login 302 403 403 403 403 403",
    "action assign in":                  "login 302 403 403 403 403 403",
    "action attach in":                  "login 302 403 403 403 403 403",
    "record delivery in":                "login 302 403 403 403 403 403",
    "record delivery out":               "login 302 403 403 403 403 403",
}
# fmt: on


def cells(table):
    """{(row, column): expected} from a table of rows of whitespace-separated cells."""
    found = {}
    for row, line in table.items():
        for column, cell in zip(COLUMNS, line.split(), strict=True):
            found[row, column] = cell if cell == LOGIN else int(cell)
    return found


def admin_rows():
    return {
        f"admin:{label} {view}": line for label, table in ADMIN_MODELS.items() for view, line in table.items()
    }


# --- The world: two towns, a school in each, reports in every state, one user per role -----------


def build_world():
    groups = roles_sync()
    county = f.county()
    liushi = f.town(county, "330382114", "柳市镇")
    hongqiao = f.town(county, "330382108", "虹桥镇")
    basic = f.standard("t-basic", name="办学基本标准")
    indicator = f.indicator(basic, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"])
    f.pass_rule(basic, max_failed=0)
    balance = f.standard("t-balance", kind="balance", unit="level")
    f.indicator(balance, "B5", ["books"], ["students_{level}"])
    f.balance_rule(balance)
    campaign = Campaign.objects.create(
        name="测试创建工作",
        region=county,
        standard=basic,
        balance_standard=balance,
        baseline_year=APPROVED_YEAR,
        evaluation_year=DRAFT_YEAR,
    )
    phase = Phase.objects.create(
        campaign=campaign, number=1, name="宣传发动", starts_on=date(2013, 1, 1), ends_on=date(2013, 6, 30)
    )
    schools = {
        "in": f.school(IN, region=liushi, name=IN_NAME),
        "out": f.school(OUT, region=hongqiao, name=OUT_NAME),
    }
    for school in schools.values():
        f.report(school, year=APPROVED_YEAR, status=A, **FIGURES)
        f.report(school, year=SUBMITTED_YEAR, status=S, **FIGURES)
        f.report(school, year=DRAFT_YEAR, status=D, **FIGURES)
    compliance_recompute()

    for role in ROLES:
        user = demo_user_sync(role=role, group=groups[role.key], password=f"yq-{role.key}-2013")
        if role.key == "clerk":
            scope_set(user=user, schools=[schools["in"]])
        elif role.key != "admin":
            scope_set(user=user, regions=[liushi])
    other_clerk = User.objects.create_user("clerk-hongqiao", is_staff=True)
    other_clerk.groups.add(groups["clerk"])
    scope_set(user=other_clerk, schools=[schools["out"]])
    asker = User.objects.get(username="reviewer")
    for school in schools.values():
        query = FieldQuery.objects.create(
            report=report_of(school, SUBMITTED_YEAR), field="books", raised_by=asker
        )
        QueryMessage.objects.create(query=query, author=asker, text="请核实图书册数")

    rule = ReportRule.objects.filter(builtin=True).first()
    rule.save()  # the built-in rules are written in bulk, without history: give it a version
    login = {
        "user_agent": "test",
        "ip_address": "127.0.0.1",
        "username": "clerk",
        "http_accept": "*/*",
        "path_info": "/login/",
    }
    tracked = {
        scope: TrackedSchool.objects.create(
            campaign=campaign, school=school, enrolled_on=date(2013, 3, 1), severe=True
        )
        for scope, school in schools.items()
    }
    ledger_item = LedgerItem.objects.create(campaign=campaign, name="学校迎评台账")
    bureau = User.objects.get(username="admin")
    gaps = {
        scope: Gap.objects.create(
            tracked=each, indicator=indicator, category="equipment", shortfall=5, unit="台", status="planned"
        )
        for scope, each in tracked.items()
    }
    # The clerk of 柳市一小 was named owner of both plans: 虹桥一小's is outside their scope.
    owner = User.objects.get(username="clerk")
    city = city_work(campaign, phase, tracked, gaps)
    by_scope = {
        scope: {
            "phases.delivery": city["deliveries"][scope],
            "phases.deliveryline": city["lines"][scope],
            "phases.trackedschool": tracked[scope],
            "phases.gap": gaps[scope],
            "phases.rectificationplan": RectificationPlan.objects.create(
                gap=gaps[scope],
                measure="purchase",
                responsible_unit="装备中心",
                deadline=date(2013, 8, 31),
                owner=owner,
            ),
            "phases.evidence": stored(Evidence(gap=gaps[scope], effective_on=date(2013, 7, 1)), asker),
            "phases.inspectionvisit": InspectionVisit.objects.create(
                tracked=tracked[scope],
                visited_on=date(2013, 3, 20),
                inspectors="张三",
                findings="计算机不足",
                recorded_by=bureau,
            ),
            "phases.ledgerentry": LedgerEntry.objects.create(
                tracked=tracked[scope], item=ledger_item, completed_on=date(2013, 5, 1), recorded_by=bureau
            ),
            "schools.school": school,
            "schools.annualreport": school.reports.get(year=DRAFT_YEAR),
            "standards.compliancesummary": ComplianceSummary.objects.get(report__school=school),
        }
        for scope, school in schools.items()
    }
    target = CityTarget.objects.create(
        campaign=campaign, code="satisfaction", name="群众教育满意度", measure="entered", comparison="gte",
        threshold=85, unit="%",
    )  # fmt: skip
    value = CityTargetValue(
        target=target, year=APPROVED_YEAR, value=88, entered_by=User.objects.get(username="admin"),
        original_name="测评.png",
    )  # fmt: skip
    value.file.save("测评.png", ContentFile(PNG), save=False)
    value.save()
    single = {
        "auth.group": Group.objects.get(name="审核员"),
        "auth.user": other_clerk,
        "axes.accessattempt": AccessAttempt.objects.create(
            **login, get_data="", post_data="", failures_since_start=1
        ),
        "axes.accesslog": AccessLog.objects.create(**login),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**login),
        "schools.region": liushi,
        "schools.scope": Scope.objects.get(user=other_clerk),
        "schools.importbatch": ImportBatch.objects.create(
            kind="reports", file_name="r.csv", sha256="", outcome=ImportBatch.Outcome.REFUSED
        ),
        "reporting.reportrule": rule,
        # The bureau opened NEW_YEAR: a school can start its report.
        "reporting.reportingyear": ReportingYear.objects.create(year=NEW_YEAR),
        "standards.standard": basic,
        "standards.indicator": indicator,
        "standards.threshold": Threshold.objects.get(indicator=indicator),
        "standards.passrule": PassRule.objects.get(standard=basic),
        "standards.balancerule": BalanceRule.objects.get(standard=balance),
        "phases.campaign": campaign,
        "phases.phase": phase,
        "phases.task": city["task"],
        "phases.taskupdate": TaskUpdate.objects.get(task=city["task"]),
        "phases.meeting": city["meeting"],
        "phases.followupaction": city["action"],
        "phases.attachment": city["attachment"],
        "phases.leadershipunit": LeadershipUnit.objects.create(campaign=campaign, role="leader", name="市长"),
        "phases.unitcost": UnitCost.objects.create(indicator=indicator, cost=4500, unit="台"),
        "phases.reminderlog": ReminderLog.objects.create(
            user=other_clerk, kind="plan", item_id=1, sent_on=date(2013, 8, 25), due_on=date(2013, 8, 31)
        ),
        "phases.citytarget": target,
        "phases.citytargetvalue": value,
        "phases.ledgeritem": ledger_item,
    }
    # A model without a scope has its one object with those in scope.
    objects = {"in": {**single, **by_scope["in"]}, "out": by_scope["out"]}
    attachment = stored(Attachment(task=single["phases.task"]), asker)
    return {
        "schools": schools,
        "objects": objects,
        "regions": {"in": liushi, "out": hongqiao},
        "attachment": attachment,
    }


def stored(row, user):
    """`row` (evidence or an attachment) with a PNG file in the private storage, saved."""
    row.original_name, row.content_type, row.size, row.uploaded_by = "照片.png", "image/png", len(PNG), user
    row.file.save("照片.png", ContentFile(PNG), save=False)
    row.save()
    return row


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file():
    return SimpleUploadedFile("方案.pdf", PDF)


def city_work(campaign, phase, tracked, gaps):
    """The city's work: a task concerning both schools and their gaps, with a progress note and
    a file; a meeting with a follow-up action; a delivery serving both schools (the "in" one: a
    scoped user sees its line in the scope only) and one serving the other town's school."""
    bureau = User.objects.get(username="admin")
    task = Task.objects.create(phase=phase, code="PLAN-T1", title="制定方案")
    task.tracked_schools.set(tracked.values())
    task.gaps.set(gaps.values())
    task_update(task=task, user=bureau, status="in_progress", note="已启动")
    meeting = meeting_record(
        campaign=campaign, user=bureau, held_on=date(2013, 2, 1), title="领导小组第一次会议"
    )
    both = Delivery.objects.create(
        campaign=campaign, delivered_on=date(2013, 5, 1), supplier="甲公司", recorded_by=bureau
    )
    other = Delivery.objects.create(
        campaign=campaign, delivered_on=date(2013, 5, 2), supplier="乙公司", recorded_by=bureau
    )
    DeliveryLine.objects.create(delivery=other, gap=gaps["out"], quantity=3)
    return {
        "task": task,
        "meeting": meeting,
        "action": action_add(meeting=meeting, user=bureau, title="补足电脑", due_on=date(2013, 5, 1)),
        "attachment": attachment_add(user=bureau, upload=pdf_file(), note="方案", task=task),
        "deliveries": {"in": both, "out": other},
        "lines": {
            scope: DeliveryLine.objects.create(delivery=both, gap=gap, quantity=2)
            for scope, gap in gaps.items()
        },
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module and rolled back after it; each test rolls back its own writes."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def log_in(client, role):
    if role != "anonymous":
        client.force_login(User.objects.get(username=role))
    return client


def assert_status(response, expected):
    """A login cell is a redirect to a login page; a 302 cell a redirect anywhere else."""
    location = response.get("Location", "")
    if expected == LOGIN:
        assert (response.status_code, location.split("?")[0]) in {
            (302, reverse("login")),
            (302, reverse("admin:login")),
        }
    else:
        assert response.status_code == expected, location
        if expected == 302:
            assert not location.startswith((reverse("login"), reverse("admin:login")))


# --- The matrix is complete -------------------------------------------------------------------


def url_patterns(patterns=None, prefix=""):
    """(route, name) of every URL pattern of the site, names with their namespaces."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            for route, name in url_patterns(pattern.url_patterns, prefix + str(pattern.pattern)):
                yield route, (namespace + name if name else None)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def listed_url(route, name):
    """The row family of the tables that covers this URL pattern."""
    models = {f"{model._meta.app_label}_{model._meta.model_name}": model for model in admin.site._registry}
    if name and name.startswith("admin:"):
        for prefix, model in models.items():
            if name.startswith(f"admin:{prefix}_"):
                return f"admin:{model._meta.label_lower} {name.removeprefix(f'admin:{prefix}_')}"
        return name
    if name is None and route.startswith("admin/"):
        if route.endswith("(?P<url>.*)$"):
            return "admin:catch_all"
        for model in models.values():
            if route == f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/":
                return f"admin:{model._meta.label_lower} redirect"
    return name or route


def family(row):
    """The URL pattern a row stands for: the row without its variant (in or out of scope, an app)."""
    head, _, tail = row.rpartition(" ")
    return head if tail in ("in", "out") or head == "admin:app_list" else row


def test_the_matrix_lists_every_url_of_the_site():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS), "a model was registered in the admin: give it a row family"
    found = {listed_url(route, name) for route, name in url_patterns()}
    assert found == {family(row) for row in {**PAGES, **admin_rows()}}
    app_lists = {row.split()[1] for row in PAGES if family(row) == "admin:app_list"}
    assert app_lists == {model._meta.app_label for model in admin.site._registry}


# --- GET: every role × every page × in and out of scope ------------------------------------------

GETS = {**cells(PAGES), **cells(admin_rows())}


def admin_url(row, world):
    """The URL of "admin:<model label> <view> [in|out]"."""
    label, view, *scope = row.removeprefix("admin:").split()
    obj = world["objects"][scope[0] if scope else "in"][label]
    name = f"admin:{label.replace('.', '_')}_{view}"
    if view in ("changelist", "add", "import", "process_import", "export"):
        return reverse(name)
    if view == "redirect":
        return reverse(f"admin:{label.replace('.', '_')}_changelist") + f"{obj.pk}/"
    if view == "simple_history":
        return reverse(name, args=[obj.pk, obj.history.latest().history_id])
    return reverse(name, args=[obj.pk])


def page_url(row, world):
    name, _, variant = row.partition(" ")
    school = world["schools"].get(variant)
    if name.startswith("admin:") and "." in name:
        return admin_url(row, world)
    if name == "reporting:entry":
        return reverse(name, args=[school.code, DRAFT_YEAR])
    if name == "reporting:review":
        return reverse(name, args=[school.code, SUBMITTED_YEAR])
    if name in ("reporting:query_reply", "reporting:query_close"):
        return reverse(name, args=[IN, SUBMITTED_YEAR, FieldQuery.objects.get(report__school__code=IN).pk])
    if name.startswith("reporting:") and name.removeprefix("reporting:") in REPORT_WRITES:
        return reverse(name, args=[IN, DRAFT_YEAR])
    if name == "dashboard:balance" and variant == "out":
        return reverse(name) + "?county=330382"
    if name in ("dashboard:school", "phases:school"):
        return reverse(name, args=[school.code])
    if name == "phases:whatif":
        return reverse(name) + f"?gap={world['objects'][variant]['phases.gap'].pk}"
    if name == "phases:target_value_file":
        return reverse(name, args=[world["objects"]["in"]["phases.citytargetvalue"].pk])
    if name in (
        "phases:gap",
        "phases:plan_save",
        "phases:gap_start",
        "phases:gap_claim",
        "phases:evidence_add",
    ):
        return reverse(name, args=[world["objects"][variant or "in"]["phases.gap"].pk])
    if name in ("phases:evidence_file", "phases:evidence_decide"):
        return reverse(name, args=[world["objects"][variant or "in"]["phases.evidence"].pk])
    if name == "phases:attachment_file":
        return reverse(name, args=[world["attachment"].pk])
    if name == "phases:gap":
        return reverse(name, args=[world["objects"][variant]["phases.gap"].pk])
    city = world["objects"]["in"]
    for model, names in CITY_OBJECT_PAGES.items():
        if name.removeprefix("phases:") in names:
            return reverse(name, args=[city[model].pk])
    if name in ("phases:visit_record", "phases:ledger_record"):
        return reverse(name, args=[IN])
    if name == "phases:tracked_add":
        return reverse(name, args=[IN])
    if name == "phases:visit_sign_off":
        return reverse(name, args=[world["objects"]["in"]["phases.inspectionvisit"].pk])
    if name == "phases:ledger_remove":
        return reverse(name, args=[world["objects"]["in"]["phases.ledgerentry"].pk])
    if name == "admin:view_on_site":
        return reverse(name, args=[ContentType.objects.get_for_model(School).pk, school.pk])
    if name == "admin:app_list":
        return reverse(name, kwargs={"app_label": variant})
    if name == "admin:catch_all":
        return reverse("admin:index") + "no-such-page/"
    return reverse(name)


# The city's pages of one object: the model of the object in their address.
CITY_OBJECT_PAGES = {
    "phases.task": ("task", "task_update", "task_assign", "task_attach"),
    "phases.meeting": ("meeting", "meeting_attach", "action_add"),
    "phases.followupaction": ("action_update", "action_assign", "action_attach"),
    "phases.attachment": ("attachment_file",),
}
REPORT_WRITES = ("start", "save", "submit", "preview", "upload", "return", "approve", "reopen", "query_raise")


def params(expected, test):
    return [
        pytest.param(row, role, id=f"{row}-{role}", marks=KNOWN_BUGS.get((test, row, role), ()))
        for row, role in expected
    ]


KNOWN_BUGS = {}  # (test, row, role) → pytest.mark.xfail(strict=True, reason=...) while a cell is being fixed


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), params(GETS, "get"))
def test_each_role_gets_the_expected_status_on_each_page(client, world, row, role):
    response = log_in(client, role).get(page_url(row, world))
    assert_status(response, GETS[row, role])


# --- POST: the writes, refused without a trace ---------------------------------------------------

POSTS = cells(WRITES)


def report_of(school, year):
    return school.reports.get(year=year)


def entry_figures(report, **changes):
    """What the entry form posts: the report's figures, its revision and the changes."""
    data = {
        key: value for key, value in report.values().items() if value is not None and key != "pe_hour_met"
    }
    return {**data, "version": report.revision, **changes}


def admin_form(obj, **changes):
    """What the admin's change form posts for `obj`, with the changes."""
    data = {}
    for key, value in model_to_dict(obj).items():
        if value is not False:
            data[key] = "" if value is None else "on" if value is True else value
    return {**data, **changes}


def upload_file(school):
    """The school's report as a clerk fills in the template: one row, one figure changed."""
    content = f"学校标识码,年度,学校名称,教学用计算机台数\n{school.code},{DRAFT_YEAR},{school.name},6\n"
    return SimpleUploadedFile("report-template.csv", content.encode())


def write_request(action, world, scope):
    """(URL, POST data) of a write on the school `scope` ("in" or "out")."""
    school = world["schools"][scope]
    draft, submitted = report_of(school, DRAFT_YEAR), report_of(school, SUBMITTED_YEAR)
    approved = report_of(school, APPROVED_YEAR)
    query = FieldQuery.objects.get(report=submitted)
    gap = world["objects"][scope]["phases.gap"]
    evidence = world["objects"][scope]["phases.evidence"]
    plan = {
        "measure": "purchase",
        "responsible_unit": "装备中心",
        "deadline": "2013-06-01",
        "notes": "统一采购",
    }

    def url(name, year, *args):
        return reverse(f"reporting:{name}", args=[school.code, year, *args])

    return {
        "start": (url("start", NEW_YEAR), {}),
        "save draft": (url("save", DRAFT_YEAR), entry_figures(draft, computers=6)),
        "submit draft": (url("submit", DRAFT_YEAR), entry_figures(draft, computers=6)),
        "save submitted": (url("save", SUBMITTED_YEAR), entry_figures(submitted, computers=6)),
        "upload draft": (url("upload", DRAFT_YEAR), {"version": draft.revision, "file": upload_file(school)}),
        "preview draft": (url("preview", DRAFT_YEAR), entry_figures(draft, computers=6)),
        "approve": (url("approve", SUBMITTED_YEAR), {"checked": "on", "version": submitted.revision}),
        "approve unchecked": (url("approve", SUBMITTED_YEAR), {"version": submitted.revision}),
        "return": (url("return", SUBMITTED_YEAR), {"reason": "请核实", "version": submitted.revision}),
        "reopen": (url("reopen", APPROVED_YEAR), {"reason": "学生数有误", "version": approved.revision}),
        "raise query": (url("query_raise", SUBMITTED_YEAR), {"field": "computers", "text": "请附采购清单"}),
        "reply query": (url("query_reply", SUBMITTED_YEAR, query.pk), {"text": "已核实"}),
        "close query": (url("query_close", SUBMITTED_YEAR, query.pk), {}),
        "admin change draft": (
            reverse("admin:schools_annualreport_change", args=[draft.pk]),
            admin_form(draft, computers=6),
        ),
        "admin approve draft": (
            reverse("admin:schools_annualreport_change", args=[draft.pk]),
            admin_form(draft, status=A),
        ),
        "admin change submitted": (
            reverse("admin:schools_annualreport_change", args=[submitted.pk]),
            admin_form(submitted, computers=6),
        ),
        "admin add report": (
            reverse("admin:schools_annualreport_add"),
            admin_form(AnnualReport(school=school, year=NEW_YEAR, status=D, **FIGURES)),
        ),
        "admin change school": (
            reverse("admin:schools_school_change", args=[school.pk]),
            admin_form(school, district="第一学区"),
        ),
        "recompute": (reverse("dashboard:recompute"), {"next": reverse("home")}),
        "enter target value": (
            reverse("phases:target_value_enter"),
            {
                "target": world["objects"]["in"]["phases.citytarget"].pk,
                "year": SUBMITTED_YEAR,
                "value": "88",
                "file": SimpleUploadedFile("测评.png", PNG),
            },
        ),
        "plan save": (reverse("phases:plan_save", args=[gap.pk]), plan),
        "admin change plan": (
            reverse("admin:phases_rectificationplan_change", args=[gap.plan.pk]),
            {**plan, "owner": ""},
        ),
        "start work": (reverse("phases:gap_start", args=[gap.pk]), {}),
        "claim done": (reverse("phases:gap_claim", args=[gap.pk]), {"note": "已采购"}),
        "add evidence": (
            reverse("phases:evidence_add", args=[gap.pk]),
            {"file": SimpleUploadedFile("发票.png", PNG), "kind": "invoice", "effective_on": "2013-07-01"},
        ),
        "decide evidence": (reverse("phases:evidence_decide", args=[evidence.pk]), {"decision": "accepted"}),
        **city_writes(world, scope),
        "add tracked": (
            reverse("phases:tracked_add", args=[CANDIDATES[scope]]),
            {"reason": "2013 年数据未达标"},
        ),
        "record visit": (
            reverse("phases:visit_record", args=[school.code]),
            {"visited_on": "2013-04-02", "inspectors": "李四", "findings": "已核实"},
        ),
        "sign off visit": (
            reverse("phases:visit_sign_off", args=[world["objects"][scope]["phases.inspectionvisit"].pk]),
            {"signed_off_on": "2013-03-21"},
        ),
        "record ledger": (
            reverse("phases:ledger_record", args=[school.code]),
            {"item": world["objects"]["in"]["phases.ledgeritem"].pk, "completed_on": "2013-06-01"},
        ),
        "remove ledger": (
            reverse("phases:ledger_remove", args=[world["objects"][scope]["phases.ledgerentry"].pk]),
            {},
        ),
        "admin revert school": (
            reverse(
                "admin:schools_school_simple_history", args=[school.pk, school.history.latest().history_id]
            ),
            admin_form(school, district="第一学区"),
        ),
    }[action]


def city_writes(world, scope):
    """The city's writes: on the task, the meeting and its action of the world, and a delivery
    for the equipment gap of the school `scope`."""
    city = world["objects"]["in"]
    task, meeting, action = city["phases.task"], city["phases.meeting"], city["phases.followupaction"]
    gap = world["objects"][scope]["phases.gap"]
    prefix = f"a{action.pk}"

    def url(name, obj):
        return reverse(f"phases:{name}", args=[obj.pk])

    return {
        "task update": (
            url("task_update", task),
            {"status": "done", "done_on": "2013-06-01", "note": "完成"},
        ),
        "task assign": (url("task_assign", task), {"responsible_unit": "教育局", "due_on": "2013-05-01"}),
        "task attach": (url("task_attach", task), {"file": pdf_file(), "note": "纪要"}),
        "meeting record": (
            reverse("phases:meeting_record"),
            {"held_on": "2013-03-01", "title": "第二次会议"},
        ),
        "meeting attach": (url("meeting_attach", meeting), {"file": pdf_file()}),
        "action add": (url("action_add", meeting), {"title": "补足图书", "due_on": "2013-05-01"}),
        "action update": (
            url("action_update", action),
            {f"{prefix}-status": "in_progress", f"{prefix}-note": "采购中"},
        ),
        "action assign": (url("action_assign", action), {f"{prefix}-responsible_unit": "装备中心"}),
        "action attach": (url("action_attach", action), {f"{prefix}-file": pdf_file()}),
        "record delivery": (
            reverse("phases:delivery_record"),
            {
                "delivered_on": "2013-05-03",
                "supplier": "丙公司",
                "kind": "invoice",
                "file": pdf_file(),
                f"qty-{gap.tracked_id}-{gap.indicator_id}": "5",
            },
        ),
    }


# A school of each town the campaign does not track, for the bureau to add.
CANDIDATES = {"in": "3303829001", "out": "3303829002"}


def prepare(action, world, scope):
    """Give a write something to do: recomputing needs stale results, so the school's stored
    results go (as an SQL script would remove them); tracking a school needs one not tracked."""
    if action == "recompute":
        ComplianceSummary.objects.filter(report__school=world["schools"][scope]).delete()
    if action == "add tracked":
        f.school(CANDIDATES[scope], region=world["schools"][scope].region)


def snapshot():
    """Everything a write of these URLs can touch."""
    return (
        list(
            ComplianceSummary.objects.order_by("report_id", "standard_id").values("report_id", "passed_rule")
        ),
        list(AnnualReport.objects.order_by("pk").values()),
        list(School.objects.order_by("pk").values()),
        School.history.count(),
        ReportEvent.objects.count(),
        list(FieldQuery.objects.order_by("pk").values("pk", "field", "status")),
        QueryMessage.objects.count(),
        list(CityTargetValue.objects.order_by("pk").values("pk", "year", "value")),
        list(TrackedSchool.objects.order_by("pk").values("pk", "school_id", "source", "reason")),
        list(Gap.objects.order_by("pk").values()),
        list(RectificationPlan.objects.order_by("pk").values()),
        list(Evidence.objects.order_by("pk").values()),
        list(Task.objects.order_by("pk").values("status", "done_on", "owner", "responsible_unit", "due_on")),
        list(FollowUpAction.objects.order_by("pk").values("status", "notes", "responsible_unit", "due_on")),
        [
            model.objects.count()
            for model in (TaskUpdate, Meeting, Attachment, Delivery, DeliveryLine, Evidence)
        ],
        list(InspectionVisit.objects.order_by("pk").values("pk", "signed_off")),
        list(LedgerEntry.objects.order_by("pk").values("pk", "completed_on")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), params(POSTS, "post"))
def test_each_write_is_done_or_refused_without_a_trace(client, world, row, role):
    action, _, scope = row.rpartition(" ")
    url, data = write_request(action, world, scope)
    prepare(action, world, scope)
    before = snapshot()
    response = log_in(client, role).post(url, data)
    expected = POSTS[row, role]
    assert_status(response, expected)
    written = snapshot() != before
    assert written == (expected == 302), "a success writes, a refusal writes nothing"


# --- Nothing out of scope leaks through lists, searches, filters, exports or JSON ------------------


def autocomplete(model, field):
    return (
        reverse("admin:autocomplete") + f"?app_label=schools&model_name={model}&field_name={field}&term=一小"
    )


# What a source lists, for the bureau: both schools, the one outside the others' scope, or none.
ALL, OTHER_TOWN, NONE = "all", "other town", "none"
# name → (URL, what it lists). Searches look for "一小" and a code prefix, which both schools
# match, so that the search box echoing the term does not name either school.
SOURCES = {
    "home": (lambda w: reverse("home"), NONE),
    "my work": (lambda w: reverse("phases:my_work"), NONE),
    "compliance list": (lambda w: reverse("dashboard:compliance") + "?failed=", ALL),
    "compliance search by name": (lambda w: reverse("dashboard:compliance") + "?failed=&q=一小", ALL),
    "compliance search by code": (lambda w: reverse("dashboard:compliance") + "?failed=&q=330382000", ALL),
    "compliance of the other town": (
        lambda w: reverse("dashboard:compliance") + f"?failed=&region={w['regions']['out'].code}",
        OTHER_TOWN,
    ),
    "report queue": (lambda w: reverse("reporting:queue") + "?status=", ALL),
    "report queue of the other town": (
        lambda w: reverse("reporting:queue") + f"?status=&region={w['regions']['out'].code}",
        OTHER_TOWN,
    ),
    "completeness": (lambda w: reverse("reporting:completeness") + f"?year={APPROVED_YEAR - 1}", ALL),
    "report template": (lambda w: reverse("reporting:template"), ALL),
    "schools export": (lambda w: reverse("dashboard:export_schools"), ALL),
    "schools export search": (lambda w: reverse("dashboard:export_schools") + "?q=一小", ALL),
    "schools export of the other town": (
        lambda w: reverse("dashboard:export_schools") + f"?region={w['regions']['out'].code}",
        OTHER_TOWN,
    ),
    "reports export": (lambda w: reverse("dashboard:export_reports"), ALL),
    "compliance export": (lambda w: reverse("dashboard:export_compliance") + "?failed=", ALL),
    # Counties, never schools: no school is named whatever the scope.
    "county table": (lambda w: reverse("dashboard:counties"), NONE),
    "county table export": (lambda w: reverse("dashboard:counties_export"), NONE),
    "admin schools search": (lambda w: reverse("admin:schools_school_changelist") + "?q=一小", ALL),
    "admin reports": (lambda w: reverse("admin:schools_annualreport_changelist"), ALL),
    "admin reports of the other town": (
        lambda w: (
            reverse("admin:schools_annualreport_changelist")
            + f"?school__region__id__exact={w['regions']['out'].pk}"
        ),
        OTHER_TOWN,
    ),
    "admin compliance": (lambda w: reverse("admin:standards_compliancesummary_changelist"), ALL),
    "admin evidence": (lambda w: reverse("admin:phases_evidence_changelist"), ALL),
    "admin autocomplete: report's school": (lambda w: autocomplete("annualreport", "school"), ALL),
    "admin autocomplete: teaching point's school": (lambda w: autocomplete("school", "parent"), ALL),
    "admin autocomplete: scope's schools": (lambda w: autocomplete("scope", "schools"), ALL),
    "admin schools export": (lambda w: reverse("admin:schools_school_export"), ALL),
    "admin reports export": (lambda w: reverse("admin:schools_annualreport_export"), ALL),
    # The city's work: the purchase list and its export are cut to the scope; a task names the
    # schools it concerns; a delivery serving both towns shows a scoped user its own line.
    "purchase list": (lambda w: reverse("phases:purchases"), ALL),
    "purchase export": (lambda w: reverse("phases:purchases_export"), ALL),
    "task page": (lambda w: reverse("phases:task", args=[w["objects"]["in"]["phases.task"].pk]), ALL),
    # Its schools and gaps are left off the admin's task for a scoped user (the task page lists them).
    "admin task": (
        lambda w: reverse("admin:phases_task_change", args=[w["objects"]["in"]["phases.task"].pk]),
        OTHER_TOWN,
    ),
    "admin task history": (
        lambda w: reverse("admin:phases_task_history", args=[w["objects"]["in"]["phases.task"].pk]),
        NONE,
    ),
    "admin delivery serving both towns": (
        lambda w: reverse("admin:phases_delivery_change", args=[w["objects"]["in"]["phases.delivery"].pk]),
        ALL,
    ),
    "admin delivery lines": (lambda w: reverse("admin:phases_deliveryline_changelist"), ALL),
    "campaign matrix": (lambda w: reverse("phases:matrix"), ALL),
    "campaign matrix of the other town": (
        lambda w: reverse("phases:matrix") + f"?region={w['regions']['out'].code}",
        OTHER_TOWN,
    ),
    "campaign matrix overdue": (lambda w: reverse("phases:matrix") + "?phase=1&status=overdue", ALL),
    "campaign matrix export": (lambda w: reverse("phases:matrix_export"), ALL),
    "severe list": (lambda w: reverse("phases:severe"), ALL),
    "severe list export": (lambda w: reverse("phases:severe_export"), ALL),
    "admin tracked schools by phase": (
        lambda w: reverse("admin:phases_trackedschool_changelist") + "?phase_state=1-not_done",
        ALL,
    ),
    "admin visits": (lambda w: reverse("admin:phases_inspectionvisit_changelist"), ALL),
    "admin ledger entries": (lambda w: reverse("admin:phases_ledgerentry_changelist"), ALL),
    # The scope of the clerk of 虹桥一小 names that school.
    "city targets": (lambda w: reverse("phases:targets"), NONE),
    "what-if of every planned gap": (lambda w: reverse("phases:whatif") + "?planned=1", ALL),
    "admin scope of another clerk": (
        lambda w: reverse("admin:schools_scope_change", args=[w["objects"]["in"]["schools.scope"].pk]),
        OTHER_TOWN,
    ),
}


def body_text(response):
    """The response's text, whatever its form: a page, JSON or an Excel workbook."""
    kind = response.get("Content-Type", "")
    if kind.startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    if "spreadsheetml" in kind:
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response)), read_only=True)
        return " ".join(
            str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return b"".join(response).decode()


def fetch(client, url):
    """GET `url`; an admin export page is then submitted for a CSV of every field."""
    response = client.get(url)
    if url.endswith("/export/") and response.status_code == 200:
        form = response.context["form"]
        data = {name: "on" for name, field in form.fields.items() if isinstance(field, BooleanField)}
        csv = next(index for index, label in form.fields["format"].choices if label == "csv")
        response = client.post(url, {**data, "format": csv, "resource": 0})
        assert response.get("Content-Type", "").startswith("text/csv")
    return response


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "role"), params([(s, r) for s in SOURCES for r in COLUMNS[1:]], "leak"))
def test_nothing_out_of_scope_leaks(client, world, source, role):
    url, lists = SOURCES[source]
    response = fetch(log_in(client, role), url(world))
    assert response.status_code in (200, 403)
    text = body_text(response) if response.status_code == 200 else ""
    if role != "admin":
        assert OUT not in text and OUT_NAME not in text
    elif lists != NONE:
        assert OUT in text and OUT_NAME in text, "the bureau sees every school, else the check proves nothing"
    if lists == ALL and response.status_code == 200:
        assert IN in text and IN_NAME in text
