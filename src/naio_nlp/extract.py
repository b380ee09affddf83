"""From fetched bytes to one article: title, date, body text, language.

Per-source CSS selectors are tried first because a site's own layout is the
surest guide; a generic main-content finder is the fallback, so a redesign
degrades extraction instead of stopping it (and the miss is reported).
Navigation, footers and share widgets are removed before the body is read.
A page that is only a JavaScript application shell is refused with
:class:`JsShellError` rather than stored as an empty article.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from bs4 import BeautifulSoup, Comment, Tag
from charset_normalizer import from_bytes

from .dates import parse_date
from .errors import EmptyPageError, ExtractionError, JsShellError, NotTextError
from .language import page_language
from .urls import is_http_url, resolve

__all__ = [
    "EmptyPageError",
    "ExtractedPage",
    "JsShellError",
    "Link",
    "Selectors",
    "decode_html",
    "extract_html",
    "extract_links",
    "extract_pdf",
    "not_text_reason",
]

#: Fewer words than this is not an article (a "download the PDF" stub, an error page).
MIN_WORDS = 15


@dataclass(frozen=True, slots=True)
class Selectors:
    """CSS selectors for one source's layout; any may be None (use the generic finder)."""

    title: str | None = None
    date: str | None = None
    body: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """What extraction found on one page.

    ``is_js_shell`` is True for a page that carries app-shell markers but still
    had server-rendered text (pure shells raise instead). ``selector_misses``
    names the configured selectors that matched nothing, for source health.
    """

    title: str
    text: str
    published: date | None
    published_raw: str | None
    language: str | None
    is_js_shell: bool
    pdf_links: tuple[str, ...]
    selector_misses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """A link found on a listing page, with its visible text (a PDF's fallback title)."""

    url: str
    text: str


# --------------------------------------------------------------------------- decoding

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([a-zA-Z0-9_.:-]+)""", re.I)
#: What browsers actually do: a page labelled latin-1 is decoded as windows-1252.
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252"}


def _codec(label: str) -> str | None:
    name = _ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(content: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, encoding used).

    Order: byte-order mark; bytes that are valid UTF-8 with multi-byte
    characters (they win over a contradicting header or ``<meta charset>``,
    since a single-byte page is almost never valid multi-byte UTF-8 by
    chance); the HTTP Content-Type charset, then a ``<meta charset>`` in the
    first 4 KB, each only if it decodes the bytes cleanly (a page labelled
    utf-8 that is really windows-1252 falls through); charset-normalizer's
    detection; UTF-8 with replacement characters so a bad byte never loses
    the page.
    """
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            return content.decode(name, errors="replace"), name
    try:
        as_utf8: str | None = content.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None and not content.isascii():
        return as_utf8, "utf-8"
    candidates: list[str] = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m:
            candidates.append(m.group(1))
    m2 = _META_CHARSET.search(content[:4096])
    if m2:
        candidates.append(m2.group(1).decode("ascii", errors="ignore"))
    for label in candidates:
        codec = _codec(label)
        if codec is None:
            continue
        try:
            return content.decode(codec), codec
        except UnicodeDecodeError:
            continue  # the label is wrong for these bytes: try the next, then detect
    if as_utf8 is not None:
        return as_utf8, "utf-8"
    best = from_bytes(content[:65536]).best()
    if best is not None and best.encoding:
        codec = _codec(best.encoding) or "utf-8"
        return content.decode(codec, errors="replace"), codec
    return content.decode("utf-8", errors="replace"), "utf-8"


#: C0 controls other than tab, newline, form feed and carriage return, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: Four words in a row: the least a page of prose has and a binary blob lacks.
_SENTENCE = re.compile(r"(?:[^\W\d_]{1,25}[,;:]?[ \t]+){3}[^\W\d_]{1,25}")
_MAX_CONTROL_SHARE = 0.01
_MAX_REPLACEMENT_SHARE = 0.02


def not_text_reason(text: str) -> str | None:
    """Why decoded page text is not text (binary served as a page), or None if it is."""
    if not text:
        return None
    size = len(text)
    controls = len(_CONTROL.findall(text))
    if controls > _MAX_CONTROL_SHARE * size:
        return (
            f"not text: {controls / size:.0%} of its characters are control characters "
            "(a binary file served as a page?)"
        )
    replaced = text.count("\ufffd")
    if replaced > _MAX_REPLACEMENT_SHARE * size:
        return f"not text: {replaced / size:.0%} of its bytes could not be decoded in any charset"
    return None


# --------------------------------------------------------------------------- html

_NOISE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "footer",
    "aside",
    "form",
    "iframe",
    "button",
    "select",
    "figure",
    "header",
    "dialog",
    "object",
    "embed",
    "canvas",
)
_NOISE_NAMES = re.compile(
    r"(?:^|[-_\s])(?:share|sharing|sharethis|addthis|addtoany|sharedaddy|relatedposts|yarpp|"
    r"social|breadcrumbs?|menu|nav|navbar|"
    r"navigation|sidebar|comments?|related|cookie|cookies|banner|subscribe|newsletter|tags|"
    r"tag-list|pagination|pager|advert|advertisement|ads|sponsor|popup|modal|skip-link|"
    r"footer|header|widget|byline|entry-meta|post-meta|article-meta|meta-info|dateline-meta|"
    r"date|published|posted-on|author|toolbar|visually-hidden|sr-only)"
    r"(?:$|[-_\s])",
    re.I,
)
_KEEP_TAGS = frozenset({"html", "body", "article", "main"})
#: Known article containers, best first: (attribute, value) pairs matched in one pass.
_CONTAINERS: tuple[tuple[str, str], ...] = (
    ("itemprop", "articleBody"),
    ("class", "entry-content"),
    ("class", "post-content"),
    ("class", "article-content"),
    ("class", "article-body"),
    ("class", "articleBody"),
    ("class", "field--name-body"),
    ("class", "node__content"),
    ("class", "news-content"),
    ("class", "story-content"),
    ("tag", "article"),
    ("role", "main"),
    ("tag", "main"),
    ("id", "content"),
)
_CONTAINER_INDEX = {pair: i for i, pair in enumerate(_CONTAINERS)}


def _container_rank(tag: Tag) -> int | None:
    best: int | None = None
    candidates = [("tag", tag.name or ""), ("role", _attr(tag, "role")), ("id", _attr(tag, "id"))]
    candidates.append(("itemprop", _attr(tag, "itemprop")))
    classes = tag.get("class")
    if isinstance(classes, list):
        candidates.extend(("class", c) for c in classes)
    for pair in candidates:
        rank = _CONTAINER_INDEX.get(pair)
        if rank is not None and (best is None or rank < best):
            best = rank
    return best


_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "dd",
        "dt",
        "dl",
        "address",
        "center",
        "hr",
    }
)
_BLOCK_MARK = "\x00"
_BR_MARK = "\x01"
_DATE_META = (
    ("property", "article:published_time"),
    ("property", "og:published_time"),
    ("itemprop", "datePublished"),
    ("name", "article:published_time"),
    ("name", "date"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "publish-date"),
    ("name", "parsely-pub-date"),
    ("name", "sailthru.date"),
    ("name", "dc.date"),
    ("name", "dc.date.issued"),
    ("name", "dcterms.date"),
)
_DATE_CLASS = re.compile(r"date|time|published|posted|tarikh|meta", re.I)
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—:·»]\s+[^|\-–—:·»]{2,60}$")
_APP_ROOT = re.compile(r"^(?:root|app|__next|__nuxt|q-app|svelte|ember-app)$", re.I)


def _text_of(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return value or ""


def _classes(tag: Tag) -> str:
    return f"{_attr(tag, 'class')} {_attr(tag, 'id')}".strip()


def _json_ld_dates(soup: BeautifulSoup) -> Iterator[str]:
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (json.JSONDecodeError, TypeError):
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                for key in ("datePublished", "dateCreated"):
                    value = item.get(key)
                    if isinstance(value, str):
                        yield value
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)


def _metas(soup: BeautifulSoup) -> dict[tuple[str, str], str]:
    """All <meta> values by (attribute, lower-cased name), read in one pass."""
    found: dict[tuple[str, str], str] = {}
    for tag in soup.find_all("meta"):
        content = _attr(tag, "content").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = _attr(tag, attr).strip().lower()
            if key:
                found.setdefault((attr, key), content)
    return found


def _date_scope(soup: BeautifulSoup) -> Tag | None:
    for selector in ("article", "main", "[role=main]", "#content", ".content"):
        found = soup.select_one(selector)
        if found is not None:
            return found
    return None


def _find_date(soup: BeautifulSoup) -> tuple[date | None, str | None]:
    """Structured metadata first (exact), then visible date-like elements, article first."""
    metas = _metas(soup)
    for attr, value in _DATE_META:
        raw = metas.get((attr, value.lower()))
        if raw:
            parsed = parse_date(raw)
            if parsed:
                return parsed, raw
    for raw in _json_ld_dates(soup):
        parsed = parse_date(raw)
        if parsed:
            return parsed, raw
    scope = _date_scope(soup)
    roots: list[BeautifulSoup | Tag] = [soup] if scope is None else [scope, soup]
    for root in roots:
        for time_tag in root.find_all("time"):
            raw = _attr(time_tag, "datetime").strip() or _text_of(time_tag)
            parsed = parse_date(raw) if raw else None
            if parsed:
                return parsed, raw
    for root in roots:
        for tag in root.find_all(True, attrs={"class": _DATE_CLASS}):
            if not isinstance(tag, Tag) or tag.name in ("html", "body"):
                continue
            raw = _text_of(tag)
            if 4 <= len(raw) <= 120:
                parsed = parse_date(raw)
                if parsed:
                    return parsed, raw
    return None, None


def _date_in_lines(text: str) -> tuple[date | None, str | None]:
    """A short line near the top of the body that is a date ("Tarikh: 5 Mac 2025")."""
    for line in text.split("\n")[:8]:
        if len(line) <= 100:
            parsed = parse_date(line)
            if parsed:
                return parsed, line
    return None, None


def _strip_date_lines(text: str, published: date | None) -> str:
    """Drop date-only lines from the top of the body: they are metadata, not content."""
    if published is None:
        return text
    lines = text.split("\n")
    head, rest = lines[:4], lines[4:]
    kept = [ln for ln in head if not (len(ln) <= 60 and parse_date(ln) == published)]
    return "\n".join(kept + rest)


def _clean_title(raw: str) -> str:
    title = " ".join(raw.split())
    stripped = _TITLE_SUFFIX.sub("", title)
    return stripped if len(stripped) >= 10 else title


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _heading_text(h: Tag) -> str:
    """The heading's own text; broken HTML (an unclosed <h1>) may swallow the page after it."""
    parts: list[str] = []
    for child in h.children:
        if isinstance(child, Tag):
            if child.name in _BLOCKS:
                break
            parts.append(child.get_text(" "))
        elif not isinstance(child, Comment):
            parts.append(str(child))
    return " ".join(" ".join(parts).split())


def _drop_heading(h: Tag) -> None:
    """Remove a heading's own text but keep any blocks broken HTML nested inside it."""
    if h.decomposed:
        return
    for child in list(h.children):
        if isinstance(child, Tag) and child.name in _BLOCKS:
            break
        child.extract()
    h.unwrap()


def _find_title(soup: BeautifulSoup) -> str:
    """The article's h1, told apart from a logo h1 by place and by overlap with <title>."""
    page_title = ""
    if soup.title is not None:
        page_title = " ".join(soup.title.get_text().split())
    og = " ".join(_metas(soup).get(("property", "og:title"), "").split())
    reference = _words(og or _clean_title(page_title))
    best: tuple[float, str] | None = None
    for h in soup.find_all("h1"):
        text = _heading_text(h)
        if not text:
            continue
        words = _words(text)
        score = len(words & reference) / max(1, len(words)) if reference else 0.0
        if h.find_parent(["article", "main"]) is not None:
            score += 1.0
        elif h.find_parent(["header", "nav"]) is not None or re.search(
            r"logo|brand|site-title|site-name", _classes(h), re.I
        ):
            score -= 1.0
        if best is None or score > best[0]:
            best = (score, text)
    if best is not None and best[0] > -0.5:
        return best[1]
    if og:
        return og
    return _clean_title(page_title) if page_title else ""


def _remove_noise(root: Tag) -> None:
    for comment in root.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in root.find_all(_NOISE_TAGS):
        tag.decompose()
    doomed = [
        tag
        for tag in root.find_all(True)
        if tag.name not in _KEEP_TAGS and _NOISE_NAMES.search(_classes(tag))
    ]
    for tag in doomed:
        if not tag.decomposed:
            tag.decompose()
    for tag in root.find_all(True, attrs={"hidden": True}):
        tag.decompose()
    for tag in root.find_all(True, attrs={"aria-hidden": "true"}):
        tag.decompose()


def _best_container(soup: BeautifulSoup) -> Tag | None:
    """A known content container if it holds most of the text, else the densest block."""
    body = soup.body or soup
    ranked: dict[int, list[Tag]] = {}
    for tag in soup.find_all(True):
        rank = _container_rank(tag)
        if rank is not None:
            ranked.setdefault(rank, []).append(tag)
    for rank in sorted(ranked):
        tag = max(ranked[rank], key=lambda t: len(_text_of(t)))
        if len(_text_of(tag)) >= 200:
            return tag
    scores: dict[int, tuple[float, Tag]] = {}
    for p in body.find_all(["p", "br", "li"]):
        text = _text_of(p) if p.name != "br" else ""
        parent = p.parent
        if not isinstance(parent, Tag):
            continue
        if p.name == "br":
            # broken or legacy HTML: text separated by <br> inside one cell
            text = " ".join(str(s) for s in parent.find_all(string=True, recursive=False))
            text = " ".join(text.split())
        links = sum(len(_text_of(a)) for a in p.find_all("a")) if p.name != "br" else 0
        value = max(0.0, len(text) - 2.0 * links)
        if value < 20:
            continue
        for weight, node in ((1.0, parent), (0.5, parent.parent)):
            if isinstance(node, Tag):
                old = scores.get(id(node), (0.0, node))[0]
                scores[id(node)] = (old + weight * value, node)
    if not scores:
        return body if isinstance(body, Tag) else None
    return max(scores.values(), key=lambda pair: pair[0])[1]


def _drop_link_lines(tag: Tag) -> None:
    """Paragraphs that are only a short link ("Download PDF", "Read more") are not content."""
    for block in tag.find_all(["p", "li", "div"]):
        if block.decomposed:
            continue
        text = _text_of(block)
        if not text or len(text.split()) > 10:
            continue
        linked = " ".join(_text_of(a) for a in block.find_all("a"))
        if linked and len(linked) >= len(text) - 2:
            block.decompose()


def _render(tag: Tag) -> str:
    """Visible text with one paragraph per line, inline whitespace folded."""
    for br in tag.find_all("br"):
        br.replace_with(_BR_MARK)
    for block in tag.find_all(_BLOCKS):
        block.insert_before(_BLOCK_MARK)
        block.append(_BLOCK_MARK)
    raw = tag.get_text()
    lines: list[str] = []
    for chunk in raw.split(_BLOCK_MARK):
        for part in chunk.split(_BR_MARK):
            line = " ".join(part.split())
            if line:
                lines.append(line)
    return "\n".join(lines)


def _looks_like_app_shell(soup: BeautifulSoup) -> bool:
    if soup.find(id=_APP_ROOT) is not None or soup.find("app-root") is not None:
        return True
    for noscript in soup.find_all("noscript"):
        if "javascript" in noscript.get_text().lower():
            return True
    scripts = soup.find_all("script")
    return len(scripts) >= 3 and sum(1 for s in scripts if s.get("src")) >= 1


def _pdf_links(soup: BeautifulSoup, base: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for a in soup.find_all("a", href=True):
        href = _attr(a, "href")
        target = resolve(base, href) if base else href
        path = target.split("?", 1)[0].split("#", 1)[0].lower()
        if path.endswith(".pdf") and (is_http_url(target) or not base):
            seen.setdefault(target, None)
    return tuple(seen)


def _base_href(soup: BeautifulSoup, url: str | None) -> str:
    base = soup.find("base", href=True)
    if isinstance(base, Tag) and url:
        return resolve(url, _attr(base, "href"))
    return url or ""


def _select_text(soup: BeautifulSoup, selector: str) -> str | None:
    try:
        found = soup.select(selector)
    except Exception:  # soupsieve raises its own SelectorSyntaxError
        return None
    texts = [_render(t) for t in found if isinstance(t, Tag)]
    joined = "\n".join(t for t in texts if t)
    return joined or None


def extract_html(
    content: bytes | str,
    *,
    url: str | None = None,
    content_type: str | None = None,
    selectors: Selectors | None = None,
) -> ExtractedPage:
    """Extract one article from an HTML page.

    Raises :class:`JsShellError` for a JavaScript-only shell,
    :class:`EmptyPageError` for a page without body text and
    :class:`NotTextError` for a body that is not text (control characters,
    undecodable bytes, no sentence); all are
    :class:`~naio_nlp.errors.ExtractionError`.
    """
    where = url or "<html>"
    html = content if isinstance(content, str) else decode_html(content, content_type)[0]
    reason = not_text_reason(html)
    if reason is not None:
        raise NotTextError(where, reason)
    soup = BeautifulSoup(html, "lxml")
    if soup.find() is None:
        raise EmptyPageError(where, "not an HTML document")
    html_tag = soup.find("html")
    lang_hint = _attr(html_tag, "lang") if isinstance(html_tag, Tag) else ""
    base = _base_href(soup, url)
    pdf_links = _pdf_links(soup, base)
    sel = selectors or Selectors()
    misses: list[str] = []
    app_shell = _looks_like_app_shell(soup)

    title = ""
    if sel.title:
        title = " ".join((_select_text(soup, sel.title) or "").split())
        if not title:
            misses.append("title")
    if not title:
        title = _find_title(soup)

    published: date | None = None
    published_raw: str | None = None
    if sel.date:
        date_tags: list[Tag] = []
        with contextlib.suppress(Exception):  # soupsieve's own SelectorSyntaxError
            date_tags = list(soup.select(sel.date))
        for tag in date_tags:
            raw = _attr(tag, "datetime").strip() or _attr(tag, "content").strip() or _text_of(tag)
            parsed = parse_date(raw) if raw else None
            if parsed:
                published, published_raw = parsed, raw
                break
        if published is None:
            misses.append("date")

    text = ""
    if sel.body:
        text = _select_text(soup, sel.body) or ""
        if not text:
            misses.append("body")
    for tag in soup.find_all(["style", "noscript", "template"]):
        tag.decompose()
    if published is None:
        published, published_raw = _find_date(soup)
    if not text:
        _remove_noise(soup)
        container = _best_container(soup)
        if container is not None:
            for h1 in container.find_all("h1"):
                _drop_heading(h1)
            _drop_link_lines(container)
            text = _render(container)
    if published is None:
        published, published_raw = _date_in_lines(text)
    text = _strip_title("\n".join(ln for ln in text.split("\n") if ln != title), title)
    text = _strip_date_lines(text, published)

    if len(text.split()) < MIN_WORDS:
        if app_shell:
            raise JsShellError(where, "JavaScript-only page: its text is rendered by scripts")
        raise EmptyPageError(
            where, "no article text found on the page", title=title, pdf_links=pdf_links
        )
    if _SENTENCE.search(text) is None:
        raise NotTextError(where, "not text: no sentence in its body (a binary or encoded blob?)")
    language = page_language(text, hint=lang_hint)
    return ExtractedPage(
        title=title,
        text=text,
        published=published,
        published_raw=published_raw,
        language=language,
        is_js_shell=app_shell,
        pdf_links=pdf_links,
        selector_misses=tuple(misses),
    )


def _strip_title(text: str, title: str) -> str:
    if title and text.startswith(title):
        return text[len(title) :].lstrip("\n")
    return text


def extract_links(content: bytes | str, *, url: str, content_type: str | None = None) -> list[Link]:
    """Every http(s) link on a listing page, absolute, in page order, first text wins."""
    html = content if isinstance(content, str) else decode_html(content, content_type)[0]
    soup = BeautifulSoup(html, "lxml")
    base = _base_href(soup, url)
    links: dict[str, str] = {}
    for a in soup.find_all("a", href=True):
        target = resolve(base, _attr(a, "href")).split("#", 1)[0]
        if not is_http_url(target):
            continue
        text = _text_of(a) or _attr(a, "title").strip()
        if target not in links or (not links[target] and text):
            links[target] = text
    return [Link(u, t) for u, t in links.items()]


# --------------------------------------------------------------------------- pdf

_JUNK_PDF_TITLES = re.compile(
    r"^(?:untitled|microsoft word\b|document\d*|slide \d+|\S+\.docx?)", re.I
)


def _pdf_paragraphs(raw: str) -> str:
    """Re-join the PDF's layout lines into paragraphs.

    PDF text has no paragraphs, only positioned lines; a line that ends a
    sentence or stops well short of the full width ends a paragraph.
    """
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    width = max(len(line) for line in lines)
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        current.append(line)
        if line.endswith((".", "!", "?", ":", '"', "”")) or len(line) < 0.6 * width:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(paragraphs)


def extract_pdf(content: bytes, *, url: str, fallback_title: str | None = None) -> ExtractedPage:
    """Extract a PDF press release with pypdf.

    The title comes from the PDF's metadata when it is a real title, else
    from ``fallback_title`` (the listing's link text), else the first line.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = (reader.metadata.title if reader.metadata else None) or ""
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ExtractionError(url, f"unreadable PDF: {exc}") from exc
    text = _pdf_paragraphs("\n\n".join(pages))
    meta_title = " ".join(str(meta_title).split())
    if meta_title and len(meta_title) >= 5 and not _JUNK_PDF_TITLES.match(meta_title):
        title = meta_title
    elif fallback_title and fallback_title.strip():
        title = " ".join(fallback_title.split())
    else:
        title = text.split("\n", 1)[0][:200]
    text = _strip_title(text, title)
    if len(text.split()) < MIN_WORDS:
        raise EmptyPageError(url, "PDF has no extractable text (a scan without OCR?)", title=title)
    published, published_raw = _date_in_lines(text)
    text = _strip_date_lines(text, published)
    return ExtractedPage(
        title=title,
        text=text,
        published=published,
        published_raw=published_raw,
        language=page_language(text),
        is_js_shell=False,
        pdf_links=(),
    )
