"""Rendering a customised template, and checking one at upload (docs/templates.md).

A customised template is the *body* of the document, in the Django template language, plus a
stylesheet. It runs in its own engine, which can only:

- use Django's built-in tags and filters except those in ``sandbox_library.FORBIDDEN_*``;
- ``{% load %}`` the libraries in ``LIBRARIES`` (translation, number formatting);
- ``{% include %}`` the standard blocks in ``INCLUDABLE`` (signature block, audit trail), no
  other file;
- read the document context (plain values only: strings, numbers, dates, lists, dicts, and the
  frozen display records of documents.content and sealing.signoff), a copy of it, so what a
  template calls cannot change the PDF's metadata or seal; Django refuses names starting with "_".

The page skeleton (title, the standard stylesheet, the PDF's document information) is ours, so
a template cannot make the file name itself another document; the PDF pipeline's URL fetcher
serves only our static files and data: URLs.
"""

from __future__ import annotations

import copy
import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser

from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from sealing.pdf import html_to_pdf

LIBRARIES = {
    "i18n": "django.templatetags.i18n",
    "l10n": "django.templatetags.l10n",
    "humanize": "django.contrib.humanize.templatetags.humanize",
    # The standard sign-off block's own filters (Beijing time, the drawn seal): ours, no data access.
    "sealing_pdf": "sealing.templatetags.sealing_pdf",
}
INCLUDABLE = ["sealing/pdf/sign_off.html", "sealing/pdf/audit_trail.html"]
BASE_STYLESHEET = "sealing/pdf.css"
# Tags that would change what the file says about itself, run code, or embed other documents.
FORBIDDEN_ELEMENTS = frozenset(
    {"html", "head", "body", "meta", "link", "base", "title", "script", "style", "iframe", "object", "embed"}
)
MAX_HTML_CHARS = 100_000
MAX_CSS_CHARS = 50_000
MAX_RENDERED_CHARS = 2_000_000
TEMPLATE_KEY = "template"


class SandboxEngine(Engine):
    default_builtins = ["doctemplates.sandbox_library"]


def _includable_sources() -> dict[str, str]:
    sources = {}
    for name in INCLUDABLE:
        try:
            sources[name] = get_template(name).template.source
        except TemplateDoesNotExist:  # the standard blocks moved: nothing to include under that name
            continue
    return sources


def sandbox_engine() -> SandboxEngine:
    # debug=True is what makes Django annotate errors with the template line.
    return SandboxEngine(
        debug=True,
        loaders=[("django.template.loaders.locmem.Loader", _includable_sources())],
        libraries=LIBRARIES,
        autoescape=True,
    )


@dataclass(frozen=True)
class Problem:
    field: str | None  # "html", "css" or None (the template as a whole)
    message: str


class TemplateProblems(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _located(exc: Exception) -> str:
    info = getattr(exc, "template_debug", None)
    if info and info.get("line"):
        return _("Line %(line)s: %(error)s") % {"line": info["line"], "error": exc}
    return str(exc)


def render_body(*, html: str, context: dict) -> str:
    """The template's HTML with ``context``; raises TemplateProblems."""
    try:
        template = sandbox_engine().from_string(html)
    except TemplateSyntaxError as exc:
        raise TemplateProblems([Problem("html", _located(exc))]) from exc
    # Django calls argument-less methods: {{ pdf_metadata.clear }} or {{ sign_off.pop }} would
    # change the caller's context (the PDF's reference, the parties the seal is for). A copy.
    context = copy.deepcopy(context)
    try:
        return template.render(Context(context, autoescape=True))
    except TemplateDoesNotExist as exc:
        message = _("Line %(line)s: only these files can be included: %(names)s (not %(name)s).") % {
            "line": getattr(exc, "template_debug", {}).get("line", "?"),
            "names": ", ".join(INCLUDABLE),
            "name": exc,
        }
        raise TemplateProblems([Problem("html", message)]) from exc
    except Exception as exc:  # an include refused, a filter failing on a value: the author sees the line
        raise TemplateProblems([Problem("html", _located(exc))]) from exc


def page_html(*, body: str, css: str, title: str) -> str:
    # "</" cannot end the <style> element early: in CSS "<\/" reads the same.
    css = css.replace("</", "<\\/")
    language = translation.get_language() or "zh-hans"
    return (
        f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f'<title>{escape(title)}</title><link rel="stylesheet" href="{static(BASE_STYLESHEET)}">'
        f"<style>{css}</style></head><body>{body}</body></html>"
    )


def pdf_metadata(*, context: dict, label: str) -> dict[str, str]:
    """The document information of the standard template, plus the template that made the file."""
    return {**context.get("pdf_metadata", {}), TEMPLATE_KEY: label}


@dataclass(frozen=True)
class CustomPage:
    """A customised template rendered for one document: the page and the document information."""

    html: str
    metadata: dict[str, str]


def render_custom_page(*, html: str, css: str, label: str, context: dict) -> CustomPage:
    """The HTML page of a customised template with a document context; raises TemplateProblems."""
    body = render_body(html=html, context=context)
    page = page_html(body=body, css=css, title=str(context.get("title", "")))
    return CustomPage(html=page, metadata=pdf_metadata(context=context, label=label))


def render_custom_pdf(*, html: str, css: str, label: str, context: dict) -> bytes:
    """The (unsealed) PDF of a customised template with a document context; raises TemplateProblems."""
    page = render_custom_page(html=html, css=css, label=label, context=context)
    return html_to_pdf(html=page.html, metadata=page.metadata, context=context)


class _ElementFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in FORBIDDEN_ELEMENTS and tag not in self.found:
            self.found.append(tag)


def _forbidden_elements(html: str) -> list[str]:
    finder = _ElementFinder()
    finder.feed(html)
    finder.close()
    return finder.found


class _ThreadRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


@contextmanager
def renderer_messages():
    """What WeasyPrint says while this thread renders: CSS it ignored, files it could not load."""
    handler = _ThreadRecords()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def _renderer_problem(message: str) -> Problem:
    # WeasyPrint names CSS problems "Ignored `…` at line:column" or "…stylesheet…".
    about_css = message.startswith("Ignored") or "stylesheet" in message
    text = _("The PDF renderer refused part of the template: %(message)s") % {"message": message}
    return Problem("css" if about_css else None, text)


def _size_problems(html: str, css: str) -> list[Problem]:
    problems = []
    if not html.strip():
        problems.append(Problem("html", _("The template has no HTML.")))
    if len(html) > MAX_HTML_CHARS:
        problems.append(Problem("html", _("The HTML may be at most %(limit)s characters.") % {"limit": MAX_HTML_CHARS}))
    if len(css) > MAX_CSS_CHARS:
        problems.append(Problem("css", _("The CSS may be at most %(limit)s characters.") % {"limit": MAX_CSS_CHARS}))
    return problems


def template_check(*, html: str, css: str, context: dict, label: str = "") -> bytes:
    """Compile, trial-render and turn into a PDF, as signing will; raises TemplateProblems.

    Returns the trial PDF. Anything WeasyPrint ignores or cannot load is a problem here, so that
    a template that is accepted renders at signing time as it did at upload.
    """
    if problems := _size_problems(html, css):
        raise TemplateProblems(problems)
    body = render_body(html=html, context=context)
    problems = []
    if len(body) > MAX_RENDERED_CHARS:
        problems.append(Problem("html", _("The rendered template is too long.")))
    if found := _forbidden_elements(body):
        problems.append(
            Problem("html", _("The template may not contain these elements: %(tags)s.") % {"tags": ", ".join(found)})
        )
    if problems:
        raise TemplateProblems(problems)
    page = page_html(body=body, css=css, title=str(context.get("title", "")))
    with renderer_messages() as messages:
        try:
            pdf = html_to_pdf(html=page, metadata=pdf_metadata(context=context, label=label), context=context)
        except Exception as exc:  # WeasyPrint's own failure, whatever its class
            raise TemplateProblems([Problem(None, _("The PDF could not be made: %(error)s") % {"error": exc})]) from exc
    if messages:
        raise TemplateProblems([_renderer_problem(message) for message in messages])
    return pdf
