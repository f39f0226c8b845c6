"""The back office: Wagtail admin menus and views for staff, officers and reps.

Every view here reads through the members selectors (who may see what) and writes
through the members services; nothing here decides access on its own. Each module
registers its own hooks when imported.
"""

from tolpuddle.backoffice import (  # noqa: F401 - importing registers the hooks
    access_log,
    action_notices,
    applications,
    ballot_results,
    dashboard,
    disputes,
    imports,
    member_list,
    member_page,
    positions,
    reference,
    sidebar,
    transfers,
)
