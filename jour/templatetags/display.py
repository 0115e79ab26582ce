"""Display logic that templates share: {% load display %}.

A state shows as a coloured tag: `<span class="{{ state|tag_class }}">`.
"""

from django import template

register = template.Library()

# What each state of the site's models and figures looks like.
TAG_COLOURS = {
    "ok": "ok",
    "met": "ok",
    "active": "ok",
    "not_ok": "bad",
    "not_met": "bad",
    "over": "bad",
    "partly": "warn",
    "full": "warn",
    "upcoming": "warn",
}


@register.filter
def tag_class(state) -> str:
    """'tag ok', 'tag warn', 'tag bad', or a plain 'tag' for any other state."""
    colour = TAG_COLOURS.get(str(state))
    return f"tag {colour}" if colour else "tag"
