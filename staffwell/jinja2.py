"""The Jinja2 environment: NHS.UK component macros plus a few Django helpers."""

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader
from markupsafe import Markup

from staffwell.core.permissions import Role


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def nice_date(value, fmt: str = "j F Y") -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = localtime(value)
    return date_format(value, fmt)


def nice_datetime(value) -> str:
    return nice_date(value, "j F Y, H:i")


def link(href: str, text, **attributes) -> Markup:
    """An escaped ``<a>`` for a macro's ``html`` parameter.

    Never build one with ``~``: once any piece is Markup (``| e`` makes one), Jinja's
    ``~`` escapes every other piece, so the tag itself shows as text.
    """
    extra = Markup("").join(Markup(' {}="{}"').format(k.replace("_", "-"), v) for k, v in attributes.items())
    return Markup('<a href="{}"{}>{}</a>').format(href, extra, text)


def _autoescape(template_name: str | None) -> bool:
    # Plain-text email templates are not HTML; everything else is escaped.
    return not (template_name or "").endswith(".txt")


def environment(**options) -> Environment:
    loader = options.pop("loader", None)
    loaders = [loader] if loader else []
    loaders.append(PackageLoader("nhsuk_frontend_jinja", "templates"))
    options["loader"] = ChoiceLoader(loaders)
    options["undefined"] = ChainableUndefined
    options["autoescape"] = _autoescape
    options.setdefault("extensions", []).append("jinja2.ext.do")
    env = Environment(**options)  # noqa: S701 - autoescape is set by _autoescape above
    env.globals.update(
        {
            "static": static,
            "url": url,
            "link": link,
            "get_messages": get_messages,
            "settings_service_name": settings.STAFFWELL_SERVICE_NAME,
            "demo_mode": settings.DEMO_MODE,
            "role_labels": {role.value: role.label for role in Role},
        }
    )
    env.filters.update({"nice_date": nice_date, "nice_datetime": nice_datetime})
    return env
