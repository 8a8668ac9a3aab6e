"""The words of the date-of-birth check page for each plans link kind (clinic/links/)."""

# The check page's words for each link kind that asks for the date of birth.
PLAN_CHECK_PAGE = {
    "heading": "Your home exercises",
    "intro": "To keep your plan private, please confirm your date of birth.",
    "button": "Open my plan",
}

COPY_CHECK_PAGE = {
    "heading": "Your health record",
    "intro": "To keep your record private, please confirm your date of birth.",
    "button": "Open my record",
}
