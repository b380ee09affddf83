# ruff: noqa: E501  (HTML templates read better unwrapped)
"""Regenerate the demo snapshot's ``site/`` from ``snapshot.toml``.

    python -m naio_nlp.demo._build

Each of the four sites gets its own page chrome — navigation, breadcrumbs,
share widgets, related links, comment forms, footers — so that extraction
has something real to remove, and its own way of being discovered: paginated
listings, an announcements page, an RSS feed, a sitemap index. URLs that
must be absolute (feeds, sitemaps, canonical links) carry ``{base}``, which
the demo server replaces with its loopback address. Output is deterministic;
a test checks that ``site/`` matches it.
"""

from __future__ import annotations

import html
import json
import textwrap
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
_MYT = timezone(timedelta(hours=8))
_MS_MONTHS = [
    "Januari",
    "Februari",
    "Mac",
    "April",
    "Mei",
    "Jun",
    "Julai",
    "Ogos",
    "September",
    "Oktober",
    "November",
    "Disember",
]
_MS_DAYS = ["Isnin", "Selasa", "Rabu", "Khamis", "Jumaat", "Sabtu", "Ahad"]
_PER_PAGE = 6
_e = html.escape


@dataclass(frozen=True, slots=True)
class Item:
    site: str
    slug: str
    day: date
    lang: str
    title: str
    body: str
    pdf: bool
    index: int

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.body.strip().split("\n\n") if p.strip()]

    @property
    def stamp(self) -> datetime:
        """A plausible publication time: between 09:00 and 13:59, Malaysia time."""
        minutes = 9 * 60 + (7 * self.index) % 300
        return datetime.combine(self.day, time(minutes // 60, minutes % 60), _MYT)

    @property
    def path(self) -> str:
        """The URL path of the item (no host)."""
        if self.site == "kd":
            return f"/kd/kenyataan-media/{self.slug}" + (".pdf" if self.pdf else "")
        if self.site == "naio":
            return f"/naio/announcements/{self.slug}"
        if self.site == "wire":
            return f"/wire/{self.day:%Y/%m/%d}/{self.slug}/"
        return f"/suara/berita/teknologi/{self.day:%Y/%m}/{1030400 + 37 * self.index}/{self.slug}"

    @property
    def file(self) -> str:
        """The file under site/ that serves :attr:`path`."""
        rel = self.path.lstrip("/")
        if rel.endswith("/"):
            return rel + "index.html"
        return rel if self.pdf else rel + ".html"


def load_items(path: Path = _HERE / "snapshot.toml") -> list[Item]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    raw: list[dict[str, Any]] = data["articles"]
    by_key = {f"{r['site']}:{r['slug']}": r for r in raw}
    items = []
    for i, r in enumerate(raw):
        src = by_key[r["copy_of"]] if "copy_of" in r else r
        items.append(
            Item(
                site=r["site"],
                slug=r["slug"],
                day=date.fromisoformat(r["date"]),
                lang=r["lang"],
                title=src["title"],
                body=src["body"],
                pdf=bool(r.get("pdf", False)),
                index=i,
            )
        )
    return items


def _ms_date(d: date) -> str:
    return f"{d.day} {_MS_MONTHS[d.month - 1]} {d.year}"


def _en_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _paras(item: Item) -> str:
    return "\n".join(f"<p>{_e(p)}</p>" for p in item.paragraphs)


def _newest(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (i.day, i.index), reverse=True)


DISCLAIMER = (
    "Offline demo snapshot bundled with naio-nlp. Programmes, figures, companies and "
    "quotations on this site are invented for demonstration."
)

# ------------------------------------------------------------------------- kd


def _kd_page(
    title: str, lang: str, crumbs: list[tuple[str, str]], main: str, canonical: str
) -> str:
    crumb_html = "".join(
        f'<li><a href="{_e(href)}">{_e(text)}</a></li>' if href else f"<li>{_e(text)}</li>"
        for text, href in crumbs
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} | Kementerian Digital</title>
<link rel="canonical" href="{{base}}{canonical}">
<link rel="stylesheet" href="/kd/assets/portal.css">
<script src="/kd/assets/aksesibiliti.js" defer></script>
</head>
<body class="portal">
<div class="topbar">
  <span>Portal Rasmi Kementerian Digital</span>
  <span class="lang"><a href="?lang=ms">BM</a> | <a href="?lang=en">EN</a></span>
  <span class="a11y">Saiz teks: <button>A-</button><button>A</button><button>A+</button></span>
  <form class="search" action="/kd/carian"><input name="q" placeholder="Carian..."><button>Cari</button></form>
</div>
<header class="masthead">
  <a href="/kd/"><img src="/kd/assets/jata-negara.png" alt="Jata Negara"> KEMENTERIAN DIGITAL</a>
</header>
<nav class="main-nav"><ul>
  <li><a href="/kd/">Utama</a></li><li><a href="/kd/profil">Profil</a></li>
  <li><a href="/kd/dasar">Dasar</a></li><li><a href="/kd/perkhidmatan">Perkhidmatan</a></li>
  <li class="active"><a href="/kd/kenyataan-media?page=1">Media</a></li>
  <li><a href="/kd/hubungi-kami">Hubungi Kami</a></li>
</ul></nav>
<ol class="breadcrumb">{crumb_html}</ol>
<main id="main-content">
{main}
</main>
<footer class="site-footer">
  <div class="address">Kementerian Digital, Presint 2, 62000 Putrajaya. Tel: 03-0000 0000</div>
  <ul class="policies"><li><a href="/kd/penafian">Penafian</a></li><li><a href="/kd/dasar-privasi">Dasar Privasi</a></li>
  <li><a href="/kd/dasar-keselamatan">Dasar Keselamatan</a></li><li><a href="/kd/peta-laman">Peta Laman</a></li></ul>
  <p>Hak Cipta Terpelihara &copy; 2026 Kementerian Digital. Paparan terbaik menggunakan pelayar terkini.</p>
  <p>Jumlah pelawat: 3,482,915 | Kemas kini terakhir: 20 November 2026</p>
  <p class="demo-note">{_e(DISCLAIMER)}</p>
</footer>
</body>
</html>
"""


def _kd_article(item: Item, others: list[Item]) -> str:
    when = _ms_date(item.day) if item.lang == "ms" else _en_date(item.day)
    cat = "Kenyataan Media" if item.lang == "ms" else "Media Release"
    share_url = f"{{base}}{item.path}"
    related = "".join(f'<li><a href="{o.path}">{_e(o.title)}</a></li>' for o in others[:3])
    main = f"""<article class="media-release">
  <h1 class="page-title">{_e(item.title)}</h1>
  <div class="meta"><span class="date">{when}</span> <span class="category">{cat}</span></div>
  <div class="content">
{_paras(item)}
  </div>
  <div class="share-widget">Kongsi:
    <a href="https://www.facebook.com/sharer/sharer.php?u={share_url}">Facebook</a>
    <a href="https://twitter.com/intent/tweet?url={share_url}">X</a>
    <a href="https://wa.me/?text={share_url}">WhatsApp</a>
    <a href="https://t.me/share/url?url={share_url}">Telegram</a>
    <a href="#" onclick="window.print()">Cetak</a>
  </div>
  <div class="feedback">Adakah maklumat ini membantu? <button>Ya</button> <button>Tidak</button></div>
</article>
<aside class="related"><h2>Kenyataan media lain</h2><ul>{related}</ul></aside>"""
    crumbs = [("Utama", "/kd/"), ("Media", ""), ("Kenyataan Media", "/kd/kenyataan-media?page=1")]
    return _kd_page(item.title, item.lang, [*crumbs, (item.title, "")], main, item.path)


def _kd_listing(page: int, pages: int, items: list[Item]) -> str:
    rows = []
    for it in items:
        when = _ms_date(it.day)
        badge = ' <span class="badge">PDF</span>' if it.pdf else ""
        rows.append(
            f'<li class="release"><span class="date">{when}</span> '
            f'<a href="{it.path}">{_e(it.title)}</a>{badge}</li>'
        )
    nav = []
    if page > 1:
        nav.append(f'<a rel="prev" href="/kd/kenyataan-media?page={page - 1}">&laquo; Sebelum</a>')
    current = ' class="current"'
    nav.extend(
        f'<a href="/kd/kenyataan-media?page={n}"{current if n == page else ""}>{n}</a>'
        for n in range(1, pages + 1)
    )
    if page < pages:
        nav.append(
            f'<a rel="next" href="/kd/kenyataan-media?page={page + 1}">Seterusnya &raquo;</a>'
        )
    main = f"""<h1 class="page-title">Kenyataan Media</h1>
<p class="intro">Kenyataan media rasmi Kementerian Digital dan agensi di bawahnya.</p>
<ul class="release-list">
{chr(10).join(rows)}
</ul>
<nav class="pagination">{" ".join(nav)}</nav>"""
    crumbs = [("Utama", "/kd/"), ("Media", ""), ("Kenyataan Media", "")]
    return _kd_page("Kenyataan Media", "ms", crumbs, main, f"/kd/kenyataan-media?page={page}")


def _kd_home(items: list[Item]) -> str:
    latest = "".join(f'<li><a href="{i.path}">{_e(i.title)}</a></li>' for i in _newest(items)[:4])
    main = f"""<section class="hero"><h1 class="page-title">Malaysia Digital, Rakyat Sejahtera</h1></section>
<section class="latest"><h2>Terkini</h2><ul>{latest}</ul>
<a href="/kd/kenyataan-media?page=1">Semua kenyataan media</a></section>"""
    return _kd_page("Utama", "ms", [("Utama", "")], main, "/kd/")


def _pdf(item: Item) -> bytes:
    """A small, valid one-page PDF with the release as text (Helvetica, WinAnsi)."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    lines: list[tuple[str, str]] = [("F2", line) for line in textwrap.wrap(item.title, 60)]
    lines.append(("F1", ""))
    for para in item.paragraphs:
        lines.extend(("F1", line) for line in textwrap.wrap(para, 92))
        lines.append(("F1", ""))
    ops = ["BT", "/F1 10 Tf", "14 TL", "56 790 Td"]
    for font, text in lines:
        size = 14 if font == "F2" else 10
        ops.append(f"/{font} {size} Tf ({esc(text)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title (" + esc(item.title).encode("cp1252") + b") /Producer (naio-nlp demo) "
        b"/CreationDate (D:" + item.day.strftime("%Y%m%d").encode() + b"090000+08'00') >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


# ------------------------------------------------------------------------- naio


def _naio_page(title: str, main: str, canonical: str, sidebar: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} – National AI Office</title>
<meta property="og:site_name" content="National AI Office (NAIO)">
<meta property="og:title" content="{_e(title)}">
<link rel="canonical" href="{{base}}{canonical}">
</head>
<body>
<div id="cookie-banner" class="cookie">We use cookies to understand how our site is used.
<button>Accept</button> <a href="/naio/privacy">Privacy notice</a></div>
<header class="site-header">
  <a class="logo" href="/naio/">NAIO <span>National AI Office</span></a>
  <nav><a href="/naio/about">About</a> <a href="/naio/working-groups">Working Groups</a>
  <a href="/naio/announcements?page=1">Announcements</a> <a href="/naio/resources">Resources</a>
  <a href="/naio/contact">Contact</a></nav>
</header>
<div class="layout">
<main>
{main}
</main>
<aside class="sidebar">
{sidebar}
<div class="newsletter"><h3>Stay informed</h3><p>Get NAIO updates in your inbox.</p>
<form><input type="email" placeholder="Email address"><button>Subscribe</button></form></div>
</aside>
</div>
<footer class="site-footer">
<p>National AI Office (NAIO), an initiative under the Ministry of Digital, Malaysia.</p>
<p><a href="/naio/terms">Terms of use</a> · <a href="/naio/privacy">Privacy</a> · <a href="/naio/accessibility">Accessibility</a></p>
<p>&copy; 2026 National AI Office. All rights reserved.</p>
<p class="demo-note">{_e(DISCLAIMER)}</p>
</footer>
</body>
</html>
"""


def _naio_sidebar(items: list[Item], skip: Item | None = None) -> str:
    links = "".join(
        f'<li><a href="{i.path}">{_e(i.title)}</a></li>' for i in _newest(items) if i is not skip
    )
    return f'<div class="latest"><h3>Latest announcements</h3><ul>{links}</ul></div>'


def _naio_article(item: Item, items: list[Item]) -> str:
    main = f"""<nav class="crumbs"><a href="/naio/">Home</a> › <a href="/naio/announcements?page=1">Announcements</a> › <span>{_e(item.title)}</span></nav>
<article class="post">
  <h1>{_e(item.title)}</h1>
  <p class="post-date">Posted on {_en_date(item.day)}</p>
  <div class="post-body">
{_paras(item)}
  </div>
  <p class="tags">Tags: <a href="/naio/tag/announcement">Announcement</a></p>
  <div class="share">Share this: <a href="https://www.linkedin.com/sharing/share-offsite/?url={{base}}{item.path}">LinkedIn</a>
  <a href="https://twitter.com/intent/tweet?url={{base}}{item.path}">X</a></div>
</article>"""
    return _naio_page(item.title, main, item.path, _naio_sidebar(items[:5], skip=item))


def _naio_listing(items: list[Item]) -> str:
    cards = "\n".join(
        f'<div class="card"><p class="post-date">{_en_date(i.day)}</p>'
        f'<h2><a href="{i.path}">{_e(i.title)}</a></h2>'
        f"<p>{_e(textwrap.shorten(i.paragraphs[0], 160, placeholder=' …'))}</p>"
        f'<a class="more" href="{i.path}">Read more</a></div>'
        for i in _newest(items)
    )
    main = f"""<h1>Announcements</h1>
<p class="intro">News and updates from the National AI Office.</p>
<div class="cards">
{cards}
</div>"""
    return _naio_page("Announcements", main, "/naio/announcements?page=1", "")


def _naio_home(items: list[Item]) -> str:
    main = """<h1>Building an AI nation, together</h1>
<p>The National AI Office coordinates Malaysia's work on artificial intelligence across
government, industry and academia.</p>
<p><a href="/naio/announcements?page=1">Read our announcements</a></p>"""
    return _naio_page("Home", main, "/naio/", _naio_sidebar(items[:5]))


# ------------------------------------------------------------------------- wire


def _wire_page(title: str, body_class: str, main: str, canonical: str, recent: list[Item]) -> str:
    recent_html = "".join(f'<li><a href="{i.path}">{_e(i.title)}</a></li>' for i in recent)
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} &#8211; KL TechWire</title>
<link rel="alternate" type="application/rss+xml" title="KL TechWire &raquo; Feed" href="{{base}}/wire/feed/">
<link rel="canonical" href="{{base}}{canonical}">
<link rel="stylesheet" id="twentytwenty-style-css" href="/wire/wp-content/themes/techwire/style.css?ver=2.4" media="all">
<meta name="generator" content="WordPress 6.6.2">
</head>
<body class="{body_class}">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header">
  <p class="site-title"><a href="/wire/" rel="home">KL TechWire</a></p>
  <p class="site-description">Technology news from Malaysia and the region</p>
  <nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
  <li class="menu-item"><a href="/wire/category/policy/">Policy</a></li>
  <li class="menu-item"><a href="/wire/category/startups/">Startups</a></li>
  <li class="menu-item"><a href="/wire/category/telco/">Telco</a></li>
  <li class="menu-item"><a href="/wire/category/opinion/">Opinion</a></li></ul></nav>
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area"><main id="main" class="site-main">
{main}
</main></div>
<aside id="secondary" class="widget-area">
<section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{recent_html}</ul></section>
<section class="widget widget_text"><h2 class="widget-title">Newsletter</h2><p>The week in Malaysian tech, every Friday.</p></section>
</aside>
</div>
<footer id="colophon" class="site-footer">
<div class="site-info">&copy; 2026 KL TechWire. <a href="https://wordpress.org/">Proudly powered by WordPress</a></div>
<p class="demo-note">{_e(DISCLAIMER)}</p>
</footer>
<div id="cookie-law-info-bar">This website uses cookies to improve your experience. <a role="button">Accept</a></div>
</body>
</html>
"""


def _wire_article(item: Item, items: list[Item]) -> str:
    iso = item.stamp.isoformat()
    others = [i for i in _newest(items) if i is not item]
    related = "".join(
        f'<p class="jp-relatedposts-post"><a href="{o.path}">{_e(o.title)}</a></p>'
        for o in others[:3]
    )
    main = f"""<article id="post-{4100 + item.index}" class="post-{4100 + item.index} post type-post status-publish format-standard hentry">
<header class="entry-header">
<h1 class="entry-title">{_e(item.title)}</h1>
<div class="entry-meta"><span class="posted-on">Posted on <a href="{item.path}" rel="bookmark"><time class="entry-date published" datetime="{iso}">{item.day:%B} {item.day.day}, {item.day.year}</time></a></span>
<span class="byline"> by <span class="author vcard"><a class="url fn n" href="/wire/author/staff/">TechWire Staff</a></span></span></div>
</header>
<div class="entry-content">
{_paras(item)}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>
<ul><li><a class="share-facebook" href="{item.path}?share=facebook">Facebook</a></li>
<li><a class="share-x" href="{item.path}?share=x">X</a></li>
<li><a class="share-linkedin" href="{item.path}?share=linkedin">LinkedIn</a></li></ul></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">Related</h3>{related}</div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/wire/category/policy/" rel="category tag">Policy</a></span></footer>
</article>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="/wire/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p class="comment-notes">Your email address will not be published. Required fields are marked *</p>
<p class="comment-form-comment"><label for="comment">Comment *</label><textarea id="comment" name="comment"></textarea></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"></p>
</form></div></div>"""
    return _wire_page(
        item.title,
        f"post-template-default single single-post postid-{4100 + item.index}",
        main,
        item.path,
        others[:5],
    )


def _wire_home(items: list[Item]) -> str:
    posts = "\n".join(
        f'<article class="post type-post"><h2 class="entry-title"><a href="{i.path}">{_e(i.title)}</a></h2>'
        f'<div class="entry-summary"><p>{_e(textwrap.shorten(i.paragraphs[0], 180, placeholder=" [&hellip;]"))}</p></div></article>'
        for i in _newest(items)[:8]
    )
    return _wire_page("KL TechWire", "home blog", posts, "/wire/", _newest(items)[:5])


def _wire_feed(items: list[Item]) -> str:
    entries = []
    for i in _newest(items):
        excerpt = textwrap.shorten(i.paragraphs[0], 200, placeholder=" [...]")
        entries.append(f"""  <item>
    <title>{_e(i.title)}</title>
    <link>{{base}}{i.path}</link>
    <dc:creator><![CDATA[TechWire Staff]]></dc:creator>
    <pubDate>{format_datetime(i.stamp)}</pubDate>
    <category><![CDATA[Policy]]></category>
    <guid isPermaLink="false">{{base}}/wire/?p={4100 + i.index}</guid>
    <description><![CDATA[{excerpt}]]></description>
  </item>""")
    newest = _newest(items)[0]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>KL TechWire</title>
  <atom:link href="{{base}}/wire/feed/" rel="self" type="application/rss+xml" />
  <link>{{base}}/wire/</link>
  <description>Technology news from Malaysia and the region</description>
  <lastBuildDate>{format_datetime(newest.stamp)}</lastBuildDate>
  <language>en-US</language>
  <generator>https://wordpress.org/?v=6.6.2</generator>
{chr(10).join(entries)}
</channel>
</rss>
"""


# ------------------------------------------------------------------------- suara


def _suara_page(title: str, main: str, canonical: str, popular: list[Item]) -> str:
    pop = "".join(f'<li><a href="{i.path}">{_e(i.title)}</a></li>' for i in popular)
    return f"""<!DOCTYPE html>
<html lang="ms">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} | Suara Digital</title>
<link rel="canonical" href="{{base}}{canonical}">
</head>
<body>
<header class="kepala">
  <div class="logo"><a href="/suara/">SUARA DIGITAL</a></div>
  <nav class="menu"><a href="/suara/kategori/terkini">Terkini</a> <a href="/suara/kategori/nasional">Nasional</a>
  <a href="/suara/kategori/bisnes">Bisnes</a> <a href="/suara/kategori/teknologi">Teknologi</a>
  <a href="/suara/kategori/sukan">Sukan</a> <a href="/suara/kategori/hiburan">Hiburan</a></nav>
  <form action="/suara/cari"><input name="s" placeholder="Cari berita"></form>
</header>
<div class="iklan iklan-atas">IKLAN</div>
<div class="kandungan">
<main>
{main}
</main>
<aside class="sisi"><h3>Paling Popular</h3><ol>{pop}</ol><div class="iklan">IKLAN</div></aside>
</div>
<footer class="kaki">
<p><a href="/suara/hubungi-kami">Hubungi Kami</a> | <a href="/suara/terma">Terma Penggunaan</a> | <a href="/suara/privasi">Dasar Privasi</a></p>
<p>&copy; 2026 Suara Digital Sdn Bhd. Hak cipta terpelihara.</p>
<p class="demo-note">{_e(DISCLAIMER)}</p>
</footer>
</body>
</html>
"""


def _suara_article(item: Item, items: list[Item]) -> str:
    d = item.day
    when = f"{_MS_DAYS[d.weekday()]}, {_ms_date(d)} | {item.stamp:%I:%M} pagi"
    others = [i for i in _newest(items) if i is not item]
    paras = [f"<p>{_e(p)}</p>" for p in item.paragraphs]
    ordered = _newest(items)
    pos = ordered.index(item)
    # "read also": the next older story (the newer one for the oldest), as on real sites
    also = ordered[pos + 1] if pos + 1 < len(ordered) else ordered[pos - 1] if pos else None
    if also is not None:
        paras.insert(
            1,
            f'<p class="baca-juga"><strong>BACA JUGA:</strong> <a href="{also.path}">{_e(also.title)}</a></p>',
        )
    main = f"""<ol class="jejak"><li><a href="/suara/">Utama</a></li><li><a href="/suara/kategori/teknologi">Teknologi</a></li></ol>
<article class="berita">
<h1 class="tajuk">{_e(item.title)}</h1>
<div class="info"><span class="penulis">Oleh Wartawan Suara Digital</span>
<time class="tarikh" datetime="{item.stamp.isoformat()}">{when}</time></div>
<div class="kongsi">Kongsi: <a href="https://www.facebook.com/sharer/sharer.php?u={{base}}{item.path}">Facebook</a>
<a href="https://wa.me/?text={{base}}{item.path}">WhatsApp</a></div>
<div class="isi-berita">
{chr(10).join(paras)}
</div>
<div class="tag">Tag: <a href="/suara/tag/teknologi">teknologi</a> <a href="/suara/tag/digital">digital</a></div>
</article>
<section class="komen"><h3>Komen</h3><p>Sila log masuk untuk memberi komen.</p></section>"""
    return _suara_page(item.title, main, item.path, others[:5])


def _suara_simple(title: str, path: str, text: str, items: list[Item]) -> str:
    return _suara_page(title, f"<h1>{_e(title)}</h1><p>{_e(text)}</p>", path, _newest(items)[:5])


def _sitemap(urls: list[tuple[str, date]]) -> str:
    body = "\n".join(
        f"  <url><loc>{{base}}{path}</loc><lastmod>{day.isoformat()}</lastmod></url>"
        for path, day in urls
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{body}
</urlset>
"""


def _sitemap_index(children: list[tuple[str, date]]) -> str:
    body = "\n".join(
        f"  <sitemap><loc>{{base}}{path}</loc><lastmod>{day.isoformat()}</lastmod></sitemap>"
        for path, day in children
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{body}
</sitemapindex>
"""


# ------------------------------------------------------------------------- all


ROBOTS = """User-agent: *
Disallow: /kd/carian
Disallow: /suara/cari
Disallow: /wire/wp-admin/
Allow: /wire/wp-admin/admin-ajax.php

Sitemap: {base}/suara/sitemap.xml
"""


def render(items: list[Item] | None = None) -> dict[str, bytes]:
    """Every file of ``site/`` (path relative to it → bytes)."""
    items = load_items() if items is None else items
    files: dict[str, bytes] = {}
    lastmod: dict[str, str] = {}

    def put(rel: str, content: str | bytes, day: date) -> None:
        files[rel] = content.encode("utf-8") if isinstance(content, str) else content
        lastmod[rel] = datetime.combine(day, time(9, 0), _MYT).isoformat()

    newest_day = max(i.day for i in items)
    put("robots.txt", ROBOTS, newest_day)
    site = {s: [i for i in items if i.site == s] for s in ("kd", "naio", "wire", "suara")}

    kd = _newest(site["kd"])
    pages = (len(kd) + _PER_PAGE - 1) // _PER_PAGE
    put("kd/index.html", _kd_home(kd), kd[0].day)
    for n in range(1, pages + 1):
        chunk = kd[(n - 1) * _PER_PAGE : n * _PER_PAGE]
        put(f"kd/kenyataan-media--page-{n}.html", _kd_listing(n, pages, chunk), chunk[0].day)
    for it in kd:
        others = [o for o in kd if o is not it]
        put(it.file, _pdf(it) if it.pdf else _kd_article(it, others), it.day)

    naio = _newest(site["naio"])
    put("naio/index.html", _naio_home(naio), naio[0].day)
    put("naio/announcements--page-1.html", _naio_listing(naio), naio[0].day)
    for it in naio:
        put(it.file, _naio_article(it, naio), it.day)

    wire = _newest(site["wire"])
    put("wire/index.html", _wire_home(wire), wire[0].day)
    put("wire/feed/index.rss", _wire_feed(wire), wire[0].day)
    for it in wire:
        put(it.file, _wire_article(it, wire), it.day)

    suara = _newest(site["suara"])
    put(
        "suara/index.html",
        _suara_simple(
            "Berita terkini",
            "/suara/",
            "Berita teknologi dan digital terkini dari seluruh negara.",
            suara,
        ),
        suara[0].day,
    )
    put(
        "suara/hubungi-kami.html",
        _suara_simple(
            "Hubungi Kami",
            "/suara/hubungi-kami",
            "Meja berita Suara Digital, Petaling Jaya. E-mel: berita@suaradigital.example",
            suara,
        ),
        date(2025, 1, 2),
    )
    put(
        "suara/kategori/teknologi.html",
        _suara_simple("Teknologi", "/suara/kategori/teknologi", "Semua berita teknologi.", suara),
        suara[0].day,
    )
    children = []
    for year in sorted({i.day.year for i in suara}):
        mine = [i for i in suara if i.day.year == year]
        rel = f"suara/sitemap-berita-{year}.xml"
        put(rel, _sitemap([(i.path, i.day) for i in mine]), mine[0].day)
        children.append((f"/{rel}", mine[0].day))
    pages_map = [
        ("/suara/", suara[0].day),
        ("/suara/hubungi-kami", date(2025, 1, 2)),
        ("/suara/kategori/teknologi", suara[0].day),
    ]
    put("suara/sitemap-halaman.xml", _sitemap(pages_map), suara[0].day)
    children.append(("/suara/sitemap-halaman.xml", suara[0].day))
    put("suara/sitemap.xml", _sitemap_index(children), suara[0].day)
    for it in suara:
        put(it.file, _suara_article(it, suara), it.day)

    files["_lastmod.json"] = (json.dumps(lastmod, indent=1, sort_keys=True) + "\n").encode()
    return files


def main() -> None:  # pragma: no cover - a maintainer's script
    root = _HERE / "site"
    files = render()
    for old in sorted(root.rglob("*"), reverse=True) if root.exists() else []:
        if old.is_file() and old.relative_to(root).as_posix() not in files:
            old.unlink()
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    print(f"wrote {len(files)} files under {root}")


if __name__ == "__main__":  # pragma: no cover
    main()
