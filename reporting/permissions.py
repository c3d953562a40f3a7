"""Who may do what on the report pages.

Scope first: a school outside the user's scope answers 404 (`schools.access`), whatever the
action. Then the role: an action the user's role does not allow answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from schools.access import school_for
from schools.models import AnnualReport

VIEW, EDIT, REVIEW = "view", "edit", "review"
# Held by the reviewer and administrator roles (and superusers); clerks only fill reports in.
REVIEW_PERMISSION = "schools.review_annualreport"
# Plausible report years: anything else in a URL is a page that does not exist.
YEARS = range(2000, 2101)


def is_reviewer(user):
    """Whether `user` judges reports (return, approve, reopen) rather than only filling them in."""
    return user.has_perm(REVIEW_PERMISSION)


def allows(user, action):
    """Whether the user's role allows `action` (VIEW, EDIT or REVIEW) on reports in their scope."""
    if action == VIEW:
        return user.has_perm("schools.view_annualreport")
    can_change = user.has_perm("schools.change_annualreport")
    if action == EDIT:
        return can_change
    return can_change and is_reviewer(user)


def require(user, action):
    if not allows(user, action):
        raise PermissionDenied


def report_for_user(user, code, year, action=VIEW, *, missing_ok=False):
    """The report of school `code` for `year` if `user` may do `action` on it.

    Http404 when the school is outside the user's scope or the report does not exist (with
    `missing_ok`, an unsaved draft of the school and year is returned instead: "not started");
    PermissionDenied when the user's role does not allow `action`.
    """
    if year not in YEARS:
        raise Http404
    school = school_for(user, code)
    report = AnnualReport.objects.filter(school=school, year=year).first()
    if report is None:
        if not missing_ok:
            raise Http404
        report = AnnualReport(school=school, year=year)
    else:
        report.school = school
    require(user, action)
    return report
