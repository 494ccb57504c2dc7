"""Every URL the site has, as every role: the answer each role gets is written down here.

The URLs come from the URL conf and the OpenAPI document, walked when the test runs; a
URL with no line in EXPECTED fails the test, which prints the line to add. Pages are
opened with GET; API operations are sent with their method and a valid body, each in a
transaction that is rolled back, so one request never changes what the next one sees.
Path parameters name demo objects (see conftest.path_values): the member's published
comment, the free reader's sanction, the member's subscription, a published story.
"""

from django.test import Client

from tests.security.conftest import ROLES, World, path_values
from tests.security.routes import Route, all_routes, outcome, rolled_back, send

# Columns, in order: visitor free digital noname member moderator editor. One value
# alone stands for every role; "403*4" for four columns in a row. "sign-in": sent to
# the sign-in page; "admin-login": to the admin's sign-in. Keys: URL names for pages
# (the pattern when a page has none), "METHOD /api/path" for API operations.
EXPECTED: dict[str, str] = {
    # --- operations and public pages ---
    "core:healthz": "200",
    "core:javascript_catalog": "200",
    "stories:home": "200",
    "stories:section": "200",
    "stories:topic": "200",
    "stories:author": "200",
    "stories:story": "200",
    "stories:search": "200",
    "stories:feed": "200",
    "stories:feed_atom": "200",
    "stories:section_feed": "200",
    "stories:section_feed_atom": "200",
    "stories:sitemap": "200",
    "story_comments_feed": "200",
    "media": "404",
    "stories:sitemap_section": "200",
    "subscriptions:plans": "200",
    # --- accounts ---
    "my_comments": "sign-in 200 200 200 200 200 200",
    # --- accounts: signing in, the account page ---
    "accounts:account": "302",
    "accounts:profile": "sign-in 200*6",
    "accounts:check_name": "sign-in 200*6",
    "accounts:security": "sign-in 200*6",
    "accounts:change_password": "405",
    "accounts:sign_out_everywhere": "405",
    "accounts:sign_up": "200 302*6",
    "accounts:sign_up_sent": "302",
    "accounts:sign_in": "200 302*6",
    "accounts:sign_out": "405",
    "accounts:language": "405",
    "accounts:resend_verification": "405",
    "accounts:verify": "400",
    "accounts:reset": "200",
    "accounts:reset_sent": "200",
    "accounts:reset_confirm": "200",
    "accounts:reset_done": "200",
    # --- plans and subscriptions ---
    "subscriptions:checkout": "sign-in 200 302*5",
    "subscriptions:change": "sign-in 302 200*5",
    "subscriptions:account": "sign-in 200*6",
    "subscriptions:cancel": "sign-in 405*6",
    "subscriptions:resume": "sign-in 405*6",
    "subscriptions:card": "sign-in 405*6",
    "subscriptions:webhook": "405",
    # --- comments ---
    "comments:story_stream": "302",
    "comments:permalink": "302",
    "comments:thread": "302",
    "comments:reply": "200",
    "comments:edit": "sign-in 404*3 200 404*2",
    "comments:delete": "sign-in 404*3 200 404*2",
    "comments:recommend": "405",
    # --- the moderation desk (moderators and editors) ---
    "moderation:queue": "sign-in 403*4 200*2",
    "moderation:queue_named": "sign-in 403*4 200*2",
    "moderation:item": "sign-in 403*4 200*2",
    "moderation:decide": "sign-in 403*4 405*2",
    "moderation:bulk": "sign-in 403*4 405*2",
    "moderation:reader": "sign-in 403*4 200*2",
    "moderation:sanction": "sign-in 403*4 405*2",
    "moderation:lift": "sign-in 403*4 405*2",
    "moderation:terms": "sign-in 403*4 200*2",
    "moderation:remove_term": "sign-in 403*4 405*2",
    "moderation:audit": "sign-in 403*4 200*2",
    "moderation:thresholds": "sign-in 403*4 200*2",
    "moderation:train": "sign-in 403*4 405*2",
    "moderation:block_domain": "sign-in 403*4 405*2",
    "moderation:unblock_domain": "sign-in 403*4 405*2",
    "moderation:undo": "sign-in 403*4 405*2",
    "moderation:add_note": "sign-in 403*4 405*2",
    "moderation:quiet_hours": "sign-in 403*4 200*2",
    "moderation:stories": "sign-in 403*4 200*2",
    "moderation:dashboard": "sign-in 403*4 200*2",
    # --- readers' reports ---
    "reports:comment": "sign-in 200*6",
    # --- notifications, follows and mutes ---
    "notifications:inbox": "sign-in 200*6",
    "notifications:mark_read": "sign-in 405*6",
    "notifications:open": "sign-in 404*6",
    "notifications:unsubscribe": "400",
    "notifications:follow_story": "sign-in 405*6",
    "notifications:follow_thread": "sign-in 405*6",
    "notifications:mute": "sign-in 200*6",
    "notifications:settings": "sign-in 200*6",
    "privacy:data": "sign-in 200*6",
    "privacy:request_download": "405",
    "privacy:download": "sign-in 404*6",
    "privacy:delete_account": "405",
    "privacy:change_email": "sign-in 200*6",
    "privacy:confirm_email": "404",
    "privacy:not_me": "404",
    "notifications:muted": "sign-in 200*6",
    "notifications:unmute": "sign-in 405*6",
    # --- the embed: the loader, the frame and its session (site parameters missing here) ---
    "embed_script": "200",
    "embed:frame": "404",
    "embed:session": "405",
    "embed:display_name": "401 200*6",
    "embed:counts": "404",
    "embed:counts_script": "200",
    # --- the API's own pages ---
    "api:openapi-json": "200",
    "api:openapi-view": "200",
    "api:api-root": "404",
    # --- the admin: editors only (moderators work on the desk) ---
    "admin:index": "admin-login*6 200",
    "admin:login": "200*6 302",
    "admin:logout": "302*6 405",
    "admin:password_change": "admin-login*6 200",
    "admin:password_change_done": "admin-login*6 200",
    "admin:autocomplete": "admin-login*6 403",
    "admin:jsi18n": "admin-login*6 200",
    "admin:view_on_site": "admin-login*6 302",
    "admin:auth_group_changelist": "admin-login*6 403",
    "admin:auth_group_add": "admin-login*6 403",
    "admin:auth_group_history": "admin-login*6 403",
    "admin:auth_group_delete": "admin-login*6 403",
    "admin:auth_group_change": "admin-login*6 403",
    "/admin/auth/group/{object_id}/": "admin-login*6 302",
    "admin:axes_accessattempt_changelist": "admin-login*6 403",
    "admin:axes_accessattempt_add": "admin-login*6 403",
    "admin:axes_accessattempt_history": "admin-login*6 302",
    "admin:axes_accessattempt_delete": "admin-login*6 403",
    "admin:axes_accessattempt_change": "admin-login*6 403",
    "/admin/axes/accessattempt/{object_id}/": "admin-login*6 302",
    "admin:axes_accesslog_changelist": "admin-login*6 403",
    "admin:axes_accesslog_add": "admin-login*6 403",
    "admin:axes_accesslog_history": "admin-login*6 403",
    "admin:axes_accesslog_delete": "admin-login*6 403",
    "admin:axes_accesslog_change": "admin-login*6 403",
    "/admin/axes/accesslog/{object_id}/": "admin-login*6 302",
    "admin:axes_accessfailurelog_changelist": "admin-login*6 403",
    "admin:axes_accessfailurelog_add": "admin-login*6 403",
    "admin:axes_accessfailurelog_history": "admin-login*6 302",
    "admin:axes_accessfailurelog_delete": "admin-login*6 403",
    "admin:axes_accessfailurelog_change": "admin-login*6 403",
    "/admin/axes/accessfailurelog/{object_id}/": "admin-login*6 302",
    "admin:django_tasks_database_dbtaskresult_changelist": "admin-login*6 403",
    "admin:django_tasks_database_dbtaskresult_add": "admin-login*6 403",
    "admin:django_tasks_database_dbtaskresult_history": "admin-login*6 302",
    "admin:django_tasks_database_dbtaskresult_delete": "admin-login*6 403",
    "admin:django_tasks_database_dbtaskresult_change": "admin-login*6 403",
    "/admin/django_tasks_database/dbtaskresult/{object_id}/": "admin-login*6 302",
    "admin:accounts_user_changelist": "admin-login*6 403",
    "admin:accounts_user_add": "admin-login*6 403",
    "admin:accounts_user_history": "admin-login*6 403",
    "admin:accounts_user_delete": "admin-login*6 403",
    "admin:accounts_user_change": "admin-login*6 403",
    "/admin/accounts/user/{object_id}/": "admin-login*6 302",
    "admin:subscriptions_plan_changelist": "admin-login*6 200",
    "admin:subscriptions_plan_add": "admin-login*6 200",
    "admin:subscriptions_plan_history": "admin-login*6 200",
    "admin:subscriptions_plan_delete": "admin-login*6 403",
    "admin:subscriptions_plan_change": "admin-login*6 200",
    "/admin/subscriptions/plan/{object_id}/": "admin-login*6 302",
    "admin:subscriptions_subscription_changelist": "admin-login*6 403",
    "admin:subscriptions_subscription_add": "admin-login*6 403",
    "admin:subscriptions_subscription_history": "admin-login*6 403",
    "admin:subscriptions_subscription_delete": "admin-login*6 403",
    "admin:subscriptions_subscription_change": "admin-login*6 403",
    "/admin/subscriptions/subscription/{object_id}/": "admin-login*6 302",
    "admin:subscriptions_payment_changelist": "admin-login*6 403",
    "admin:subscriptions_payment_add": "admin-login*6 403",
    "admin:subscriptions_payment_history": "admin-login*6 302",
    "admin:subscriptions_payment_delete": "admin-login*6 403",
    "admin:subscriptions_payment_change": "admin-login*6 403",
    "/admin/subscriptions/payment/{object_id}/": "admin-login*6 302",
    "admin:stories_section_changelist": "admin-login*6 200",
    "admin:stories_section_add": "admin-login*6 200",
    "admin:stories_section_history": "admin-login*6 200",
    "admin:stories_section_delete": "admin-login*6 403",
    "admin:stories_section_change": "admin-login*6 200",
    "/admin/stories/section/{object_id}/": "admin-login*6 302",
    "admin:stories_topic_changelist": "admin-login*6 200",
    "admin:stories_topic_add": "admin-login*6 200",
    "admin:stories_topic_history": "admin-login*6 200",
    "admin:stories_topic_delete": "admin-login*6 403",
    "admin:stories_topic_change": "admin-login*6 200",
    "/admin/stories/topic/{object_id}/": "admin-login*6 302",
    "admin:stories_story_preview": "admin-login*6 200",
    "admin:stories_story_markdown_preview": "admin-login*6 200",
    "admin:stories_story_changelist": "admin-login*6 200",
    "admin:stories_story_add": "admin-login*6 200",
    "admin:stories_story_history": "admin-login*6 200",
    "admin:stories_story_delete": "admin-login*6 403",
    "admin:stories_story_change": "admin-login*6 200",
    "/admin/stories/story/{object_id}/": "admin-login*6 302",
    "admin:comments_comment_changelist": "admin-login*6 200",
    "admin:comments_comment_add": "admin-login*6 403",
    "admin:comments_comment_history": "admin-login*6 200",
    "admin:comments_comment_delete": "admin-login*6 403",
    "admin:comments_comment_change": "admin-login*6 200",
    "/admin/comments/comment/{object_id}/": "admin-login*6 302",
    "admin:comments_reaction_changelist": "admin-login*6 403",
    "admin:comments_reaction_add": "admin-login*6 403",
    "admin:comments_reaction_history": "admin-login*6 302",
    "admin:comments_reaction_delete": "admin-login*6 403",
    "admin:comments_reaction_change": "admin-login*6 403",
    "/admin/comments/reaction/{object_id}/": "admin-login*6 302",
    "admin:core_auditentry_changelist": "admin-login*6 200",
    "admin:core_auditentry_add": "admin-login*6 403",
    "admin:core_auditentry_history": "admin-login*6 200",
    "admin:core_auditentry_delete": "admin-login*6 403",
    "admin:core_auditentry_change": "admin-login*6 200",
    "/admin/core/auditentry/{object_id}/": "admin-login*6 302",
    "admin:moderation_report_changelist": "admin-login*6 403",
    "admin:moderation_report_add": "admin-login*6 403",
    "admin:moderation_report_history": "admin-login*6 403",
    "admin:moderation_report_delete": "admin-login*6 403",
    "admin:moderation_report_change": "admin-login*6 403",
    "/admin/moderation/report/{object_id}/": "admin-login*6 302",
    "admin:moderation_thresholds_changelist": "admin-login*6 403",
    "admin:moderation_thresholds_add": "admin-login*6 200",
    "admin:moderation_thresholds_history": "admin-login*6 302",
    "admin:moderation_thresholds_delete": "admin-login*6 403",
    "admin:moderation_thresholds_change": "admin-login*6 403",
    "/admin/moderation/thresholds/{object_id}/": "admin-login*6 302",
    "admin:moderation_blockeddomain_changelist": "admin-login*6 403",
    "admin:moderation_blockeddomain_add": "admin-login*6 403",
    "admin:moderation_blockeddomain_history": "admin-login*6 403",
    "admin:moderation_blockeddomain_delete": "admin-login*6 403",
    "admin:moderation_blockeddomain_change": "admin-login*6 403",
    "/admin/moderation/blockeddomain/{object_id}/": "admin-login*6 302",
    "admin:embed_site_changelist": "admin-login*6 200",
    "admin:embed_site_add": "admin-login*6 200",
    "admin:embed_site_history": "admin-login*6 302",
    "admin:embed_site_delete": "admin-login*6 403",
    "admin:embed_site_change": "admin-login*6 302",
    "/admin/embed/site/{object_id}/": "admin-login*6 302",
    "admin:notifications_delivery_changelist": "admin-login*6 403",
    "admin:notifications_delivery_add": "admin-login*6 403",
    "admin:notifications_delivery_history": "admin-login*6 403",
    "admin:notifications_delivery_delete": "admin-login*6 403",
    "admin:notifications_delivery_change": "admin-login*6 403",
    "/admin/notifications/delivery/{object_id}/": "admin-login*6 302",
    "admin:app_list": "admin-login*6 200",
    "/admin/{url}": "admin-login*6 404",
    # --- the API (OpenAPI operations) ---
    "GET /api/health": "200",
    "GET /api/accounts/me": "401 200*6",
    "PUT /api/accounts/me/display-name": "401 200*6",
    "GET /api/plans/": "200",
    "GET /api/plans/entitlements": "200",
    "GET /api/plans/subscription": "401 200*6",
    "POST /api/plans/subscription": "401 201 409*5",
    "GET /api/plans/payments": "401 200*6",
    "POST /api/plans/subscription/{subscription_id}/change": "401 404*3 200 404*2",
    "POST /api/plans/subscription/{subscription_id}/cancel": "401 404*3 200 404*2",
    "POST /api/plans/subscription/{subscription_id}/resume": "401 404*3 409 404*2",
    "GET /api/stories/": "200",
    "GET /api/stories/search": "422",
    "GET /api/stories/{slug}": "200",
    "GET /api/comments/stories/{slug}/gate": "200",
    "GET /api/comments/stories/{slug}/thread": "200",
    "GET /api/comments/threads/{comment_id}": "200",
    "POST /api/comments/stories/{slug}/comments": "401 403*3 201*3",
    "POST /api/comments/{comment_id}/replies": "401 403*3 201*3",
    "POST /api/comments/{comment_id}/recommend": "401 200*3 403 200*2",
    "PATCH /api/comments/{comment_id}": "401 403*3 200 403*2",
    "DELETE /api/comments/{comment_id}": "401 403*3 204 403*2",
    "GET /api/moderation/queues": "401 403*4 200*2",
    # Statements of reasons, appeals, notices: a reader sees only their own decision; the
    # moderator who rejected the world's comment may not judge its appeal (403), an editor may.
    "appeals:guidelines": "200",
    "appeals:transparency": "200",
    "appeals:notice": "200",
    "appeals:decisions": "sign-in 200*6",
    "appeals:decision": "sign-in 404*3 200 404*2",
    "appeals_desk:appeals": "sign-in 403*4 200*2",
    "appeals_desk:appeal": "sign-in 403*4 200*2",
    "appeals_desk:notices": "sign-in 403*4 200*2",
    "appeals_desk:notice": "sign-in 403*4 200*2",
    "admin:appeals_guideline_changelist": "admin-login*6 200",
    "admin:appeals_guideline_add": "admin-login*6 200",
    "admin:appeals_guideline_history": "admin-login*6 200",
    "admin:appeals_guideline_delete": "admin-login*6 403",
    "admin:appeals_guideline_change": "admin-login*6 200",
    "/admin/appeals/guideline/{object_id}/": "admin-login*6 302",
    "GET /api/moderation/appeals": "401 403*4 200*2",
    "POST /api/moderation/appeals/{appeal_id}/decision": "401 403*5 200",
    "GET /api/moderation/notices": "401 403*4 200*2",
    "POST /api/moderation/notices/{notice_id}/decision": "401 403*4 200*2",
    "GET /api/moderation/queues/{queue}": "401 403*4 200*2",
    "POST /api/moderation/comments/{comment_id}/decision": "401 403*4 409*2",
    "POST /api/moderation/comments/{comment_id}/reports": "401 409 201*2 400 201*2",
    "POST /api/moderation/readers/{reader_id}/sanctions": "401 403*4 201 403",
    "POST /api/moderation/sanctions/{sanction_id}/lift": "401 403*4 200 403",
    "GET /api/notifications/": "401 200*6",
    "POST /api/notifications/read": "401 200*6",
    "GET /api/notifications/settings": "401 200*6",
    "PUT /api/notifications/settings": "401 200*6",
    "PUT /api/notifications/follows/stories/{story_id}": "401 200*6",
    "PUT /api/notifications/follows/threads/{comment_id}": "401 200*6",
    "GET /api/notifications/mutes": "401 200*6",
    "POST /api/notifications/mutes": "401 200*3 422 200*2",
    "DELETE /api/notifications/mutes/{reader_id}": "401 404*6",
}


def _columns(line: str) -> list[str]:
    values = []
    for token in line.split():
        value, _, times = token.partition("*")
        values += [value] * int(times or 1)
    return values * len(ROLES) if len(values) == 1 else values


def _line(observed: list[str]) -> str:
    """The table's way of writing what each role got: runs of one value as "value*n"."""
    if len(set(observed)) == 1:
        return observed[0]
    runs: list[list[object]] = []
    for value in observed:
        if runs and runs[-1][0] == value:
            runs[-1][1] = int(str(runs[-1][1])) + 1
        else:
            runs.append([value, 1])
    return " ".join(f"{value}*{times}" if times != 1 else str(value) for value, times in runs)


def _observe(world: World, route: Route, clients: dict[str, Client]) -> list[str]:
    values = path_values(world, route.path)
    observed = []
    for role in ROLES:
        with rolled_back():
            observed.append(outcome(send(clients[role], route, values)))
    return observed


def test_every_url_answers_each_role_as_the_table_says(world: World) -> None:
    routes = all_routes()
    keys = {route.key for route in routes}
    assert len(keys) > 100, "the URL conf and the OpenAPI document were not both walked"
    clients = {role: world.client(role) for role in ROLES}
    missing, wrong = [], []
    for route in routes:
        observed = _observe(world, route, clients)
        if route.key not in EXPECTED:
            missing.append(f'    "{route.key}": "{_line(observed)}",')
        elif _columns(EXPECTED[route.key]) != observed:
            wrong.append(
                f"  {route.key} ({route.method} {route.url(path_values(world, route.path))})\n"
                f"    expected {' '.join(_columns(EXPECTED[route.key]))}\n"
                f"    observed {' '.join(observed)}"
            )
    stale = sorted(set(EXPECTED) - keys)
    message = []
    if missing:
        message.append(
            f"{len(missing)} URL(s) have no line in EXPECTED in {__file__}. Add these lines, "
            "after checking that each role should get what it got "
            f"(columns: {' '.join(ROLES)}):\n" + "\n".join(missing)
        )
    if wrong:
        message.append(f"{len(wrong)} URL(s) answered a role differently:\n" + "\n".join(wrong))
    if stale:
        message.append("EXPECTED names URLs the site no longer has; remove: " + ", ".join(stale))
    assert not message, "\n\n".join(message)
