"""Every URL pattern of the site, with sample arguments, for tests that walk them all."""

from django.urls import URLPattern, URLResolver, get_resolver

from jour.access import access_of


def iter_patterns(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from iter_patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern, namespace


def site_views():
    """(name, pattern, callback, access) for our own views; the admin is walked separately."""
    for route, pattern, namespace in iter_patterns():
        if namespace == "admin":
            continue
        yield pattern.name, route, pattern.callback, access_of(pattern.callback)


def admin_routes():
    return [route for route, _pattern, namespace in iter_patterns() if namespace == "admin"]


SAMPLE_VALUES = {"pk": "1", "action": "deactivate", "token": "x" * 43, "app_label": "jour", "object_id": "1"}


def sample_path(route: str) -> str:
    """Turn a route such as 'people/accounts/<int:pk>/' into a concrete path."""
    import re

    def fill(match):
        name = match.group(2)
        return SAMPLE_VALUES.get(name, "1")

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE_VALUES.get(m.group(1), "1"), route)
    path = re.sub(r"<(?:(\w+):)?(\w+)>", fill, path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + path
