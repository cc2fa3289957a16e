from django.urls import path, register_converter

from panel.views import (
    attachments,
    audit_log,
    customers,
    delete,
    drafts,
    failed_mail,
    helpdesk_settings,
    home,
    knowledge_base,
    lists,
    mail_overview,
    make,
    mass,
    profile,
    properties,
    quarantine,
    queues,
    saved_views,
    search,
    ticket,
    two_factor,
    view_as,
)


class TicketNumber:
    # Bounded, so an absurdly long number is "not found" rather than a database overflow.
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(TicketNumber, "number")

app_name = "panel"

urlpatterns = [
    path("", home.home, name="home"),
    path("kb/", knowledge_base.article_list, name="kb"),
    path("kb/articles/new/", knowledge_base.article_create, name="kb_article_new"),
    path("kb/articles/preview/", knowledge_base.preview, name="kb_preview_new"),
    path("kb/articles/<number:pk>/", knowledge_base.article_page, name="kb_article"),
    path("kb/articles/<number:pk>/edit/", knowledge_base.article_edit, name="kb_article_edit"),
    path("kb/articles/<number:pk>/preview/", knowledge_base.preview, name="kb_preview"),
    path("kb/articles/<number:pk>/publish/", knowledge_base.publish, name="kb_publish"),
    path("kb/articles/<number:pk>/unpublish/", knowledge_base.unpublish, name="kb_unpublish"),
    path("kb/categories/", knowledge_base.category_list, name="kb_categories"),
    path("kb/categories/new/", knowledge_base.category_create, name="kb_category_new"),
    path("kb/categories/<number:pk>/", knowledge_base.category_edit, name="kb_category_edit"),
    path("kb/link-search/", knowledge_base.link_search, name="kb_link_search"),
    path("search/", search.quick_search, name="search"),
    path("search/advanced/", search.advanced_search, name="advanced_search"),
    path("views/", saved_views.view_list, name="views"),
    path("views/nav/", saved_views.navigation, name="views_nav"),
    path("views/new/", saved_views.view_create, name="view_create"),
    path("views/<number:pk>/", saved_views.view_page, name="view"),
    path("views/<number:pk>/edit/", saved_views.view_edit, name="view_edit"),
    path("views/<number:pk>/delete/", saved_views.view_delete, name="view_delete"),
    path("views/<number:pk>/up/", saved_views.view_up, name="view_up"),
    path("views/<number:pk>/down/", saved_views.view_down, name="view_down"),
    path("tickets/mine/", lists.mine, name="mine"),
    path("tickets/unassigned/", lists.unassigned, name="unassigned"),
    path("tickets/received/<str:period>/", lists.received, name="received"),
    path("tickets/new/", make.make_ticket, name="make_ticket"),
    path("tickets/mass/assign/", mass.assign, name="mass_assign"),
    path("tickets/mass/move/", mass.move, name="mass_move"),
    path("tickets/mass/close/", mass.close, name="mass_close"),
    path("tickets/mass/priority/", mass.change_priority, name="mass_priority"),
    path("tickets/mass/delete/", mass.confirm_delete, name="mass_delete"),
    path("tickets/mass/delete/confirmed/", mass.delete, name="mass_delete_confirmed"),
    path("mass/", mass.job_list, name="mass_jobs"),
    path("mass/<number:pk>/", mass.job_page, name="mass_job"),
    path("tickets/<number:number>/", ticket.ticket_page, name="ticket"),
    path("tickets/<number:number>/reply/", ticket.reply, name="reply"),
    path("tickets/<number:number>/recipients/", ticket.recipients, name="answer_recipients"),
    path("tickets/<number:number>/draft/", drafts.save, name="save_draft"),
    path("tickets/<number:number>/draft/discard/", drafts.discard, name="discard_draft"),
    path("tickets/<number:number>/pick-up/", properties.pick_up, name="pick_up"),
    path("tickets/<number:number>/release/", properties.release, name="release"),
    path("tickets/<number:number>/close/", properties.close, name="close"),
    path("tickets/<number:number>/change/", properties.change, name="change"),
    path("tickets/<number:number>/details/", properties.details, name="details"),
    path("tickets/<number:number>/account/", properties.account_search, name="account_search"),
    path(
        "tickets/<number:number>/account/search/",
        properties.start_account_search,
        name="start_account_search",
    ),
    path(
        "tickets/<number:number>/account/choose/",
        properties.choose_account,
        name="choose_account",
    ),
    path("tickets/<number:number>/delete/", delete.delete_ticket, name="delete"),
    path("tickets/<number:number>/view-as/", view_as.from_ticket, name="ticket_view_as"),
    path(
        "tickets/<number:number>/mail/<number:pk>/retry/",
        failed_mail.retry,
        name="retry_mail",
    ),
    path("attachments/<number:pk>/", attachments.download, name="attachment"),
    path("profile/", profile.profile, name="profile"),
    path("profile/two-factor/set-up/", two_factor.set_up, name="two_factor_set_up"),
    path(
        "profile/two-factor/recovery-codes/",
        two_factor.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("profile/two-factor/remove/", two_factor.remove, name="two_factor_remove"),
    path("two-factor/", two_factor.staff_overview, name="two_factor_staff"),
    path("two-factor/<number:pk>/reset/", two_factor.reset, name="two_factor_reset"),
    path("customers/", customers.customer_list, name="customers"),
    path("customers/new/", customers.customer_create, name="customer_create"),
    path("customers/<number:pk>/", customers.customer_page, name="customer"),
    path("customers/<number:pk>/edit/", customers.customer_edit, name="customer_edit"),
    path("customers/<number:pk>/contacts/new/", customers.contact_create, name="contact_create"),
    path("contacts/<number:pk>/", customers.contact_edit, name="contact_edit"),
    path("contacts/<number:pk>/invite/", customers.contact_invite, name="contact_invite"),
    path("contacts/<number:pk>/view-as/", view_as.from_contact, name="contact_view_as"),
    path("audit/", audit_log.audit_log, name="audit_log"),
    path("queues/", queues.queue_list, name="queues"),
    path("queues/new/", queues.create, name="queue_create"),
    path("queues/<number:pk>/", queues.edit, name="queue_edit"),
    path("queues/<number:pk>/delete/", queues.delete, name="queue_delete"),
    path("settings/", helpdesk_settings.settings_page, name="settings"),
    path("mail/", mail_overview.overview, name="mail"),
    path(
        "mail/loops/<number:pk>/reprocess/",
        mail_overview.loop_reprocess,
        name="loop_reprocess",
    ),
    path("mail/quarantine/", quarantine.quarantine_list, name="quarantine"),
    path("mail/quarantine/<number:pk>/", quarantine.quarantine_entry, name="quarantine_entry"),
    path("mail/quarantine/<number:pk>/raw/", quarantine.quarantine_raw, name="quarantine_raw"),
    path(
        "mail/quarantine/<number:pk>/reprocess/",
        quarantine.quarantine_reprocess,
        name="quarantine_reprocess",
    ),
]
