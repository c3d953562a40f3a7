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
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import BooleanField
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from phases.models import (
    Campaign,
    Gap,
    InspectionVisit,
    LeadershipUnit,
    LedgerEntry,
    LedgerItem,
    Phase,
    RectificationPlan,
    Task,
    TrackedSchool,
    UnitCost,
)
from reporting.models import FieldQuery, QueryMessage, ReportEvent, ReportingYear, ReportRule
from schools.models import AnnualReport, ImportBatch, School, Scope
from schools.roles import ROLES
from schools.services import demo_user_sync, roles_sync, scope_set
from standards.models import BalanceRule, ComplianceResult, ComplianceSummary, PassRule, Threshold
from standards.services import compliance_recompute
from tests import factories as f

IN, OUT = "3303820001", "3303820002"
IN_NAME, OUT_NAME = "柳市一小", "虹桥一小"
D, S, A = AnnualReport.Status.DRAFT, AnnualReport.Status.SUBMITTED, AnnualReport.Status.APPROVED
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
    "dashboard:recompute":               "login 405 405 405 405 405 405",
    "dashboard:school in":               "login 200 200 200 200 200 200",
    "dashboard:school out":              "login 200 404 404 404 404 404",
    # The campaign's pages (the gap's not yet built: every answer is 404).
    "phases:gap in":                     "login 404 404 404 404 404 404",
    "phases:gap out":                    "login 404 404 404 404 404 404",
    # The matrix, the severe list and a tracked school's page: every role reads them in its scope.
    "phases:matrix":                     "login 200 200 200 200 200 200",
    "phases:matrix_export":              "login 200 200 200 200 200 200",
    "phases:severe":                     "login 200 200 200 200 200 200",
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
    "standards.complianceresult": RESULTS,
    "phases.campaign": CAMPAIGN_READ,
    "phases.phase": CAMPAIGN_READ,
    "phases.task": CAMPAIGN,
    "phases.leadershipunit": CAMPAIGN,
    "phases.trackedschool": ENROLLED,
    "phases.gap": ENROLLED,
    "phases.rectificationplan": TRACKED,
    "phases.unitcost": CAMPAIGN,
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
            tracked=each, indicator=indicator, category="equipment", shortfall=5, unit="台"
        )
        for scope, each in tracked.items()
    }
    by_scope = {
        scope: {
            "phases.trackedschool": tracked[scope],
            "phases.gap": gaps[scope],
            "phases.rectificationplan": RectificationPlan.objects.create(
                gap=gaps[scope], measure="purchase", responsible_unit="装备中心", deadline=date(2013, 8, 31)
            ),
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
            "standards.complianceresult": ComplianceResult.objects.get(summary__report__school=school),
        }
        for scope, school in schools.items()
    }
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
        "phases.task": Task.objects.create(phase=phase, code="PLAN-T1", title="制定方案"),
        "phases.leadershipunit": LeadershipUnit.objects.create(campaign=campaign, role="leader", name="市长"),
        "phases.unitcost": UnitCost.objects.create(indicator=indicator, cost=4500, unit="台"),
        "phases.ledgeritem": ledger_item,
    }
    # A model without a scope has its one object with those in scope.
    objects = {"in": {**single, **by_scope["in"]}, "out": by_scope["out"]}
    return {"schools": schools, "objects": objects, "regions": {"in": liushi, "out": hongqiao}}


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
    if name in ("dashboard:school", "phases:school"):
        return reverse(name, args=[school.code])
    if name == "phases:gap":
        return reverse(name, args=[world["objects"][variant]["phases.gap"].pk])
    if name in ("phases:visit_record", "phases:ledger_record"):
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


def prepare(action, world, scope):
    """Give a write something to do: recomputing needs stale results, so the school's stored
    results go (as an SQL script would remove them)."""
    if action == "recompute":
        ComplianceSummary.objects.filter(report__school=world["schools"][scope]).delete()


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
    "admin compliance items": (lambda w: reverse("admin:standards_complianceresult_changelist"), ALL),
    "admin autocomplete: report's school": (lambda w: autocomplete("annualreport", "school"), ALL),
    "admin autocomplete: teaching point's school": (lambda w: autocomplete("school", "parent"), ALL),
    "admin autocomplete: scope's schools": (lambda w: autocomplete("scope", "schools"), ALL),
    "admin schools export": (lambda w: reverse("admin:schools_school_export"), ALL),
    "admin reports export": (lambda w: reverse("admin:schools_annualreport_export"), ALL),
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
