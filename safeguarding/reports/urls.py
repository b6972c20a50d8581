from django.urls import path

from safeguarding.reports.views import chapters, drafts, evidence, published, publishing

app_name = "reports"

urlpatterns = [
    path("", drafts.report_list, name="list"),
    path("new/", drafts.report_create, name="create"),
    path("evidence-pack/", evidence.evidence_pack, name="evidence_pack"),
    path("evidence-pack.pdf", evidence.evidence_pack_pdf, name="evidence_pack_pdf"),
    path("published/", published.published_list, name="published_list"),
    path("published/<slug:slug>/", published.edition, name="edition"),
    path("published/<slug:slug>/report.<str:fmt>", published.edition_download, name="edition_download"),
    path("published/<slug:slug>/figures/<str:section>/<str:key>/", published.edition_figure, name="edition_figure"),
    path("<int:year>/", drafts.report_detail, name="detail"),
    path("<int:year>/build/", drafts.build_start, name="build"),
    path("<int:year>/build/progress/", drafts.build_progress, name="build_progress"),
    path("<int:year>/preview/", chapters.preview, name="preview"),
    path("<int:year>/chapters/<str:key>/", chapters.chapter, name="chapter"),
    path("<int:year>/chapters/<str:key>/edit/", drafts.section_edit, name="section_edit"),
    path("<int:year>/chapters/<str:key>/comments/", drafts.comment_add, name="comment_add"),
    path("<int:year>/comments/<int:pk>/resolve/", drafts.comment_resolve, name="comment_resolve"),
    path("<int:year>/status/", drafts.status_change, name="status"),
    path("<int:year>/sign-off/", drafts.sign_off, name="sign_off"),
    path("<int:year>/publish/", publishing.publish, name="publish"),
    path("<int:year>/publish/progress/", publishing.publish_progress, name="publish_progress"),
    path("<int:year>/panel-copy/", drafts.panel_sent, name="panel_sent"),
    path("<int:year>/figures/<str:section>/<str:key>/", drafts.figure, name="figure"),
    path("<int:year>/report.<str:fmt>", drafts.draft_download, name="draft_download"),
]
