from django.urls import path

from broadsheet.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("queue/<slug:slug>/", views.queue, name="queue_named"),
    path("comment/<int:comment_id>/", views.item, name="item"),
    path("comment/<int:comment_id>/decide/", views.decide, name="decide"),
    path("bulk/", views.bulk, name="bulk"),
    path("undo/", views.undo, name="undo"),
    path("reader/<int:reader_id>/", views.reader, name="reader"),
    path("reader/<int:reader_id>/sanction/", views.sanction, name="sanction"),
    path("reader/<int:reader_id>/notes/", views.add_note, name="add_note"),
    path("sanction/<int:sanction_id>/lift/", views.lift, name="lift"),
    path("terms/", views.terms, name="terms"),
    path("terms/<int:term_id>/remove/", views.remove_term, name="remove_term"),
    path("audit/", views.audit, name="audit"),
    path("quiet-hours/", views.quiet_hours, name="quiet_hours"),
    path("stories/", views.stories, name="stories"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("thresholds/train/", views.train, name="train"),
    path("thresholds/domains/", views.block_domain, name="block_domain"),
    path("thresholds/domains/<int:domain_id>/remove/", views.unblock_domain, name="unblock_domain"),
]
