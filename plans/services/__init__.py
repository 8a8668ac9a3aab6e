"""Writes across plans models with their side effects (audit, mail, render tasks). Views call
these.

The plan services (generate, edit, issue, the plan link) are re-exported here; the other
subdomains live in their modules: plans.services.documents, .logs, .coach, .alerts, …
"""

from .links import plan_link_create
from .plans import (
    ContraindicatedError,
    plan_generate,
    plan_issue,
    plan_item_add,
    plan_item_move,
    plan_item_remove,
    plan_item_update,
    plan_link_send,
    plan_settings_update,
)

__all__ = [
    "ContraindicatedError",
    "plan_generate",
    "plan_issue",
    "plan_item_add",
    "plan_item_move",
    "plan_item_remove",
    "plan_item_update",
    "plan_link_create",
    "plan_link_send",
    "plan_settings_update",
]
