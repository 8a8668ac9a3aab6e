"""Dashboard panels. Each panel says what it shows and what an empty day looks like."""

from dataclasses import dataclass, field


@dataclass
class Panel:
    key: str
    title: str
    icon: str
    empty_text: str
    rows: list = field(default_factory=list)
    template: str = ""
    visible: bool = True


def dashboard_panels(user) -> list[Panel]:
    """The panels for this user; clinical panels only for roles that may see clinical data."""
    clinical = user.has_perm("intake.view_clinical")
    return [
        Panel(
            key="calls",
            title="Today's discovery calls",
            icon="telephone",
            empty_text="No discovery calls booked for today.",
        ),
        Panel(
            key="review",
            title="Questionnaires awaiting review",
            icon="clipboard-check",
            empty_text="No questionnaires are waiting for review.",
            visible=user.has_perm("intake.view_patient"),
        ),
        Panel(
            key="red_flags",
            title="Open red flags",
            icon="exclamation-triangle",
            empty_text="No open red flags.",
            visible=clinical,
        ),
    ]
