from django.urls import path

from reporting import views

app_name = "reporting"
report = "<str:code>/<int:year>/"
query = f"{report}queries/<int:query>/"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("review/", views.queue, name="queue"),
    path("completeness/", views.completeness, name="completeness"),
    path("template.xlsx", views.template_download, name="template"),
    # The school's data entry: the page, then one POST per action.
    path(report, views.entry, name="entry"),
    path(f"{report}start/", views.start, name="start"),
    path(f"{report}save/", views.save, name="save"),
    path(f"{report}submit/", views.submit, name="submit"),
    path(f"{report}preview/", views.preview, name="preview"),
    path(f"{report}upload/", views.upload, name="upload"),
    # The reviewer's page and decisions.
    path(f"{report}review/", views.review, name="review"),
    path(f"{report}return/", views.return_report, name="return"),
    path(f"{report}approve/", views.approve, name="approve"),
    path(f"{report}reopen/", views.reopen, name="reopen"),
    # Queries on a field: raised by a reviewer, answered by the school, closed by a reviewer.
    path(f"{report}queries/raise/", views.raise_query, name="query_raise"),
    path(f"{query}reply/", views.reply_query, name="query_reply"),
    path(f"{query}close/", views.close_query, name="query_close"),
]
