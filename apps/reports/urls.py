"""Staff report pages. Every URL naming a report takes it as <int:pk> and finds it through
report_get_for_user_or_404: tests/reports/test_scoping_urls.py enumerates these patterns."""

from django.urls import path

from apps.reports.views import actions, create, detail, lists

app_name = "reports"

urlpatterns = [
    path("new/", create.report_new, name="create"),
    path("drafts/", create.draft_list, name="drafts"),
    path("drafts/<int:pk>/", create.draft_edit, name="draft_edit"),
    path("drafts/<int:pk>/delete/", create.draft_remove, name="draft_delete"),
    path("todo/", lists.worklist, name="todo"),
    path("closed/", lists.closed_reports, name="closed"),
    path("all/", lists.all_reports, name="all"),
    path("unaccepted/", lists.unaccepted_reports, name="unaccepted"),
    path("rewards/", lists.pending_rewards, name="rewards"),
    path("<int:pk>/", detail.report_detail, name="detail"),
    path("<int:pk>/reporter/", detail.reveal_reporter, name="reporter"),
    path("<int:pk>/attachments/<str:token>/", detail.attachment_download, name="attachment"),
    path("<int:pk>/reward-hint/", detail.reward_hint_view, name="reward_hint"),
    path("<int:pk>/accept/", actions.accept, name="accept"),
    path("<int:pk>/defer/", actions.defer, name="defer"),
    path("<int:pk>/reject/", actions.reject, name="reject"),
    path("<int:pk>/hand-back/", actions.hand_back, name="hand_back"),
    path("<int:pk>/dispatch/", actions.dispatch, name="dispatch"),
    path("<int:pk>/feedback/", actions.feedback, name="feedback"),
    path("<int:pk>/return/", actions.return_for_verification, name="return"),
    path("<int:pk>/close/", actions.close, name="close"),
    path("<int:pk>/reward/", actions.reward_record, name="reward_record"),
]
