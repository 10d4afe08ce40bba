from django.urls import path

from . import views

app_name = "changes"

_change = "projects/<str:code>/changes/<int:number>/"

urlpatterns = [
    path("changes/", views.change_list_mine, name="mine"),
    path("projects/<str:code>/changes/", views.change_list, name="list"),
    path("projects/<str:code>/changes/new/", views.change_create, name="create"),
    path("projects/<str:code>/changes/claims/", views.claim_list, name="claims"),
    path(_change, views.change_detail, name="change"),
    path(_change + "review/", views.change_review_start, name="review"),
    path(_change + "reply/", views.change_reply, name="reply"),
    path(_change + "negotiate/", views.change_negotiation_start, name="negotiate"),
    path(_change + "propose/", views.change_agreement_propose, name="propose"),
    path(_change + "agree/", views.change_agree, name="agree"),
    path(_change + "withdraw/", views.change_withdraw, name="withdraw"),
    path(_change + "comment/", views.change_comment, name="comment"),
    path(_change + "draft/<str:type_code>/", views.change_version_draft, name="draft"),
    path(_change + "<str:document>.pdf", views.change_pdf, name="pdf"),
    path(_change + "attachments/<int:attachment_id>/", views.change_attachment, name="attachment"),
    path(_change + "claim/", views.claim_create, name="claim"),
    path(_change + "claim/answer/", views.claim_answer, name="claim_answer"),
]
