"""Recorded-shape fixtures of every registered source, served on loopback.

Each :class:`Shape` imitates one real site where the collector cares: its
discovery channel (an RSS feed, an HTML listing or a sitemap at the URL the
registry names), its article URL scheme, the way it prints dates and the
boilerplate around the text (navigation, share buttons, related links,
footer). Three articles per source: two about AI or NAIO and one that is
not, so a test proves the article pattern, the relevance filter and the
extraction together. The headlines, people's words and figures are written
here; only the shapes follow the real sites (see the comments in
``naio_nlp/sources.toml`` for where each shape was confirmed).

:class:`HostedSites` serves every fixture host on its own loopback port and
rewrites absolute ``https://<host>`` URLs in what it serves, so relative and
absolute links both work; :func:`rehost` points a registry source at it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from naio_nlp.sources import Source

KL = timezone(timedelta(hours=8))

_EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_EN_FULL = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MS_FULL = [
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
_EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MS_DAYS = ["Isnin", "Selasa", "Rabu", "Khamis", "Jumaat", "Sabtu", "Ahad"]


@dataclass(frozen=True)
class Article:
    url: str
    title: str
    day: date
    relevant: bool
    fetched: bool | None = None  # None: fetched exactly when relevant

    @property
    def expect_fetch(self) -> bool:
        return self.relevant if self.fetched is None else self.fetched


@dataclass(frozen=True)
class Shape:
    source: str
    channel: str  # "rss", "listing" or "sitemap"
    channel_url: str
    family: str
    articles: tuple[Article, Article, Article]
    lang: str = "en"
    aliases: tuple[str, ...] = ()  # other hosts served by the same server (www / bare)

    def headline(self, a: Article) -> str:
        """The title as the article page prints it (Bernama's feed adds "Section : ")."""
        return a.title.split(" : ", 1)[1] if self.family == "bernama" else a.title


# ------------------------------------------------------------------ date formats, per site


def _fmt(family: str, d: date) -> str:
    dow, m = d.weekday(), d.month - 1
    formats = {
        # theSun prints "Thursday 02 Oct 2025 / 04:35 PM"
        "thesun": f"{_EN_DAYS[dow]} {d.day:02d} {_EN_MONTHS[m]} {d.year} / 04:35 PM",
        # Malay Mail and The Star: "Wednesday, 04 Jun 2025 7:00 AM MYT"
        "star": f"{_EN_DAYS[dow]}, {d.day:02d} {_EN_MONTHS[m]} {d.year} 7:00 AM MYT",
        # Bernama: "21/01/2025 04:35 PM"
        "bernama": f"{d.day:02d}/{d.month:02d}/{d.year} 04:35 PM",
        # NSTP papers (NST, Berita Harian, Harian Metro): "Jun 18, 2025 @ 10:05pm"
        "nstp": f"{_EN_MONTHS[m]} {d.day}, {d.year} @ 10:05pm",
        # the ministry's listing and pages: "10 Jul 2026"
        "gov": f"{d.day} {_EN_MONTHS[m]} {d.year}",
        # WordPress themes: "29 January 2026" / Malay "29 Januari 2026"
        "wordpress": f"{d.day} {_EN_FULL[m]} {d.year}",
        "wordpress-ms": f"{d.day} {_MS_FULL[m]} {d.year}",
        # Media Selangor: "24 Sep 2024, 6:00 AM"
        "selangor": f"{d.day} {_EN_MONTHS[m]} {d.year}, 6:00 AM",
        # Astro AWANI, Berita RTM, Sinar Harian (Malay long dates)
        "awani": f"{_MS_DAYS[dow]}, {d.day} {_MS_FULL[m]} {d.year} | 3:30pm",
        # The Edge: "Sunday 12 Jan 2025"
        "edge": f"{_EN_DAYS[dow]} {d.day} {_EN_MONTHS[m]} {d.year}",
        # GovInsider: "June 18, 2025"
        "govinsider": f"{_EN_FULL[m]} {d.day}, {d.year}",
    }
    return formats[family]


# per family: date format, whether <meta article:published_time> is present,
# the headline markup, the date markup, the body container, navigation labels
_FAMILIES: dict[str, dict[str, str]] = {
    "thesun": {
        "date": "thesun",
        "meta": "yes",
        "h1": '<h1 class="headline">{title}</h1>',
        "when": '<div class="article-date">{date}</div>',
        "body": '<div class="article-body">{body}</div>',
        "nav": "Home|Malaysia News|Business|Sport|Berita|Opinion",
    },
    "star": {
        "date": "star",
        "meta": "yes",
        "h1": '<h1 class="headline story-pg">{title}</h1>',
        "when": '<p class="date">{date}</p>',
        "body": '<div id="story-body" class="story bot-15 relative">{body}</div>',
        "nav": "News|Business|Sport|Tech|Lifestyle|Opinion",
    },
    "bernama": {
        "date": "bernama",
        "meta": "no",
        "h1": '<h1 class="h2">{title}</h1>',
        "when": '<div class="text-right"><span class="date-time">{date}</span></div>',
        "body": '<div class="col-12 mt-3 text-dark text-justify">{body}</div>',
        "nav": "General|Business|Politics|World|Features|BernamaTV",
    },
    "nstp": {
        "date": "nstp",
        "meta": "yes",
        "h1": '<h1 class="page-title mb-2">{title}</h1>',
        "when": '<div class="article-meta"><span class="created">{date}</span></div>',
        "body": '<div class="field field-body">{body}</div>',
        "nav": "News|Business|Lifestyle|Sports|World|Opinion",
    },
    "gov": {
        "date": "gov",
        "meta": "no",
        "h1": '<h1 class="text-2xl font-semibold">{title}</h1>',
        "when": '<time class="text-dim-500">{date}</time>',
        "body": '<div class="prose">{body}</div>',
        "nav": "Utama|Mengenai Kami|Siaran|Dasar|Hubungi Kami",
    },
    "wordpress": {
        "date": "wordpress",
        "meta": "yes",
        "h1": '<h1 class="entry-title">{title}</h1>',
        "when": '<time class="entry-date published">{date}</time>',
        "body": '<div class="entry-content">{body}</div>',
        "nav": "Home|News|Business|Opinion|Features|Contact",
    },
    "wordpress-ms": {
        "date": "wordpress-ms",
        "meta": "yes",
        "h1": '<h1 class="entry-title">{title}</h1>',
        "when": '<span class="posted-on"><time class="entry-date">{date}</time></span>',
        "body": '<div class="entry-content">{body}</div>',
        "nav": "Utama|Nasional|Politik|Ekonomi|Sukan|Hiburan",
    },
    "selangor": {
        "date": "selangor",
        "meta": "no",
        "h1": '<h1 class="post-title">{title}</h1>',
        "when": '<div class="post-date">{date}</div>',
        "body": '<div class="post-content">{body}</div>',
        "nav": "Utama|Agenda|Nasional|Selangor|English|Video",
    },
    "awani": {
        "date": "awani",
        "meta": "no",
        "h1": '<h1 class="node-article-detail-title">{title}</h1>',
        "when": '<div class="tarikh-berita">{date}</div>',
        "body": '<div class="node-article-detail-body">{body}</div>',
        "nav": "Berita Malaysia|Berita Politik|Berita Bisnes|Dunia|Sukan|Video",
    },
    "edge": {
        "date": "edge",
        "meta": "yes",
        "h1": '<h1 class="news-detail_newsTitle__x">{title}</h1>',
        "when": '<span class="news-detail_newsdateTxt__x">{date}</span>',
        "body": '<div class="news-detail_newsTextDataWrap__x">{body}</div>',
        "nav": "Corporate|Malaysia|Options|Politics|Tech|Property",
    },
    "govinsider": {
        "date": "govinsider",
        "meta": "yes",
        "h1": '<h1 class="article-title">{title}</h1>',
        "when": '<p class="article-date">{date}</p>',
        "body": '<div class="article-content">{body}</div>',
        "nav": "Articles|Events|Newsletters|About|Contact",
    },
}


def _paragraphs(a: Article, lang: str) -> list[str]:
    if lang == "ms":
        return [
            f"KUALA LUMPUR – {a.title}, menurut kenyataan yang dikeluarkan pada hari ini.",
            "Jurucakap berkata perincian pelaksanaan akan diumumkan secara berperingkat "
            "selepas perbincangan bersama agensi dan rakan industri yang terlibat.",
            "Beliau menambah bahawa orang ramai boleh mendapatkan maklumat lanjut menerusi "
            "portal rasmi dan saluran media sosial yang berkaitan dalam masa terdekat.",
        ]
    return [
        f"KUALA LUMPUR: {a.title}, according to a statement issued today.",
        "A spokesperson said the details would be announced in stages after discussions "
        "with the agencies and industry partners involved in the effort.",
        "The public can find more information on the official portal and the relevant "
        "social media channels in the coming weeks, the statement added.",
    ]


def article_html(shape: Shape, a: Article) -> str:
    fam = _FAMILIES[shape.family]
    shown = _fmt(fam["date"], a.day)
    body = "".join(f"<p>{escape(p)}</p>" for p in _paragraphs(a, shape.lang))
    title = escape(shape.headline(a))
    meta = (
        f'<meta property="article:published_time" content="{a.day.isoformat()}T16:35:00+08:00">'
        if fam["meta"] == "yes"
        else ""
    )
    site = urlsplit(a.url).hostname
    nav = "".join(f'<li><a href="/">{escape(n)}</a></li>' for n in fam["nav"].split("|"))
    return (
        f'<!DOCTYPE html><html lang="{shape.lang}"><head><meta charset="utf-8">'
        f"<title>{title} | {site}</title>{meta}"
        f'<meta property="og:title" content="{title}"></head><body>'
        f'<header class="site-header"><a class="logo" href="/">{site}</a><nav><ul>{nav}</ul>'
        '</nav><form class="search"><input name="q" placeholder="Search"></form></header>'
        '<div class="breadcrumb"><a href="/">Home</a> &rsaquo; <a href="/">News</a></div>'
        "<main><article>"
        + fam["h1"].format(title=title)
        + fam["when"].format(date=escape(shown))
        + '<div class="share">Share: <a href="#">Facebook</a> <a href="#">X</a> '
        '<a href="#">WhatsApp</a></div>'
        + fam["body"].format(body=body)
        + '<div class="tags"><a href="/">Tags</a></div></article>'
        '<aside class="related"><h3>Related</h3><ul><li><a href="/">More stories</a></li>'
        "</ul></aside></main>"
        f'<footer class="site-footer">Copyright {a.day.year} {site}. All rights reserved. '
        '<a href="/">Privacy</a> <a href="/">Terms</a></footer></body></html>'
    )


def _pub_date(d: date) -> str:
    """RFC 822 in Malaysian time, 4.35 pm, as WordPress and most CMS feeds print it."""
    return format_datetime(datetime(d.year, d.month, d.day, 16, 35, tzinfo=KL))


def _rss(shape: Shape) -> str:
    items = "".join(
        "<item>"
        f"<title>{escape(a.title)}</title><link>{escape(a.url)}</link>"
        f"<guid isPermaLink='true'>{escape(a.url)}</guid>"
        f"<pubDate>{_pub_date(a.day)}</pubDate>"
        "<dc:creator>Newsroom</dc:creator><category>News</category>"
        f"<description>{escape(a.title)}.</description></item>"
        for a in shape.articles
    )
    site = urlsplit(shape.channel_url).hostname
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{site}</title><link>https://{site}/</link><description>Latest</description>"
        f"<language>{shape.lang}</language>{items}</channel></rss>"
    )


def _sitemap(shape: Shape) -> str:
    urls = "".join(
        f"<url><loc>{escape(a.url)}</loc><lastmod>{a.day.isoformat()}</lastmod></url>"
        for a in shape.articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


def _listing(shape: Shape) -> str:
    fam = _FAMILIES[shape.family]
    nav = "".join(f'<li><a href="/">{escape(n)}</a></li>' for n in fam["nav"].split("|"))

    def href(a: Article) -> str:
        parts = urlsplit(a.url)
        return escape(parts.path + (f"?{parts.query}" if parts.query else ""))

    # news fronts link each story twice: a picture first (no text, here with a tracking
    # parameter), then the headline
    cards = "".join(
        f'<a class="thumb" href="{href(a)}{"&amp;" if "?" in href(a) else "?"}utm_source=front">'
        f'<img src="/img/{i}.jpg" alt=""></a>'
        f'<a class="group card" href="{href(a)}">'
        f'<p class="font-semibold">{escape(a.title)}</p>'
        f'<time class="text-dim-500">{escape(_fmt(fam["date"], a.day))}</time></a>'
        for i, a in enumerate(shape.articles)
    )
    return (
        f'<!DOCTYPE html><html lang="{shape.lang}"><head><meta charset="utf-8"><title>Listing'
        f"</title></head><body><header><nav><ul>{nav}</ul></nav></header><main>"
        f'<div class="grid">{cards}</div><div class="pagination"><a href="#">1</a></div>'
        "</main><footer>Hak Cipta Terpelihara</footer></body></html>"
    )


def channel_body(shape: Shape) -> tuple[str, str]:
    """(body, content type) of the shape's discovery channel."""
    if shape.channel == "rss":
        return _rss(shape), "application/rss+xml; charset=utf-8"
    if shape.channel == "sitemap":
        return _sitemap(shape), "application/xml; charset=utf-8"
    return _listing(shape), "text/html; charset=utf-8"


# ------------------------------------------------------------------ the shapes


def _a(url: str, title: str, day: str, relevant: bool, fetched: bool | None = None) -> Article:
    return Article(url, title, date.fromisoformat(day), relevant, fetched)


SHAPES: tuple[Shape, ...] = (
    Shape(
        "kd-media",
        "listing",
        "https://www.digital.gov.my/en-GB/siaran",
        "gov",
        (
            _a(
                "https://www.digital.gov.my/en-GB/siaran/Kementerian-Digital-Buka-Konsultasi-Rangka-Kerja-Kecerdasan-Buatan",
                "Ministry of Digital opens consultation on the AI framework",
                "2026-07-10",
                True,
            ),
            _a(
                "https://www.digital.gov.my/en-GB/siaran/NAIO-Umum-Kumpulan-Kerja-Baharu",
                "National AI Office names members of two new working groups",
                "2026-06-02",
                True,
            ),
            _a(
                "https://www.digital.gov.my/en-GB/siaran/Liputan-5G-Capai-Sasaran-Kawasan-Berpenduduk",
                "5G coverage reaches its target for populated areas",
                "2026-05-20",
                False,
            ),
        ),
    ),
    Shape(
        "kd-media-ms",
        "listing",
        "https://www.digital.gov.my/ms-MY/siaran",
        "gov",
        (
            _a(
                "https://www.digital.gov.my/ms-MY/siaran/Pelan-Tindakan-AI-Negara-Dilancar",
                "Pelan Tindakan AI Negara dilancarkan di Putrajaya",
                "2025-12-15",
                True,
            ),
            _a(
                "https://www.digital.gov.my/ms-MY/siaran/Garis-Panduan-Kecerdasan-Buatan-Sektor-Awam",
                "Garis panduan kecerdasan buatan untuk sektor awam diedarkan",
                "2025-11-03",
                True,
            ),
            _a(
                "https://www.digital.gov.my/ms-MY/siaran/Kempen-Kesedaran-Penipuan-Dalam-Talian",
                "Kempen kesedaran penipuan dalam talian bermula minggu depan",
                "2025-10-21",
                False,
            ),
        ),
        lang="ms",
    ),
    Shape(
        "mydigital",
        "rss",
        "https://www.mydigital.gov.my/feed/",
        "wordpress",
        (
            _a(
                "https://www.mydigital.gov.my/naio-opens-applications-for-ai-sandbox-cohort/",
                "NAIO opens applications for the next AI sandbox cohort",
                "2025-09-08",
                True,
            ),
            _a(
                "https://www.mydigital.gov.my/initiatives/national-ai-talent-programme/",
                "National AI talent programme reaches its first milestone",
                "2025-08-14",
                True,
            ),
            _a(
                "https://www.mydigital.gov.my/digital-id-registration-drive-in-sabah/",
                "Digital ID registration drive moves to Sabah",
                "2025-07-30",
                False,
            ),
        ),
    ),
    Shape(
        "naio",
        "sitemap",
        "https://ai.gov.my/sitemap.xml",
        "gov",
        (
            _a(
                "https://ai.gov.my/ai-malaysia",
                "AI Malaysia: milestones of the national AI office",
                "2025-10-01",
                True,
            ),
            _a(
                "https://ai.gov.my/kumpulan-kerja",
                "Kumpulan kerja NAIO dan skop tugas masing-masing",
                "2025-03-01",
                True,
            ),
            # NAIO's own site is not filtered: its contact page is fetched too
            _a(
                "https://ai.gov.my/hubungi-kami",
                "Hubungi kami untuk pertanyaan umum dan media",
                "2025-01-10",
                False,
                fetched=True,
            ),
        ),
    ),
    Shape(
        "jdn",
        "sitemap",
        "https://www.jdn.gov.my/sitemap.xml",
        "gov",
        (
            _a(
                "https://www.jdn.gov.my/pencapaian-kecerdasan-buatan-di-sektor-awam",
                "Pencapaian kecerdasan buatan di sektor awam sepanjang tahun",
                "2025-12-20",
                True,
            ),
            _a(
                "https://www.jdn.gov.my/bengkel-ai-untuk-penjawat-awam-negeri",
                "Bengkel AI untuk penjawat awam negeri diadakan di Kuching",
                "2025-11-11",
                True,
            ),
            _a(
                "https://www.jdn.gov.my/notis-penyelenggaraan-sistem-emel-kerajaan",
                "Notis penyelenggaraan sistem emel kerajaan hujung minggu ini",
                "2025-10-02",
                False,
            ),
        ),
        lang="ms",
    ),
    Shape(
        "mosti-mastic",
        "listing",
        "https://mastic.mosti.gov.my/publication/",
        "wordpress",
        (
            _a(
                "https://mastic.mosti.gov.my/publication/national-guidelines-on-ai-governance-and-ethics/",
                "National Guidelines on AI Governance and Ethics",
                "2024-09-20",
                True,
            ),
            _a(
                "https://mastic.mosti.gov.my/publication/artificial-intelligence-roadmap-update/",
                "Artificial Intelligence Roadmap: progress update",
                "2024-06-12",
                True,
            ),
            _a(
                "https://mastic.mosti.gov.my/publication/science-outlook-report/",
                "Science Outlook report for the coming decade",
                "2024-03-05",
                False,
            ),
        ),
    ),
    Shape(
        "bernama-en",
        "rss",
        "https://www.bernama.com/en/rssfeed.php",
        "bernama",
        (
            _a(
                "https://www.bernama.com/en/general/news.php?id=2515301",
                "General : Gobind says National AI Office will table action plan soon",
                "2025-01-21",
                True,
            ),
            _a(
                "https://web11.bernama.com/en/press/news.php?id=2522606",
                "Business : Firms urged to adopt generative AI responsibly",
                "2025-02-11",
                True,
            ),
            _a(
                "https://www.bernama.com/en/sports/news.php?id=2515777",
                "Sports : Harimau Malaya named for friendly against Laos",
                "2025-01-22",
                False,
            ),
        ),
    ),
    Shape(
        "bernama-bm",
        "rss",
        "https://www.bernama.com/bm/rssfeed.php",
        "bernama",
        (
            _a(
                "https://www.bernama.com/bm/am/news.php?id=2608260",
                "Am : NAIO sasar lebih ramai penjawat awam celik kecerdasan buatan",
                "2025-03-10",
                True,
            ),
            _a(
                "https://www.bernama.com/bm/wilayah/news.php?id=2605567",
                "Wilayah : Sekolah di Kelantan uji aplikasi AI bantu murid membaca",
                "2025-03-05",
                True,
            ),
            _a(
                "https://www.bernama.com/bm/am/news.php?id=2605694",
                "Am : Air Selangor umum gangguan bekalan di Petaling Jaya",
                "2025-03-06",
                False,
            ),
        ),
        lang="ms",
    ),
    Shape(
        "thesun",
        "rss",
        "https://thesun.my/rss/local",
        "thesun",
        (
            _a(
                "https://thesun.my/malaysia-news/national-ai-action-plan-to-focus-on-three-sectors-CA15043900",
                "National AI action plan to focus on three sectors, says minister",
                "2025-10-06",
                True,
            ),
            _a(
                "https://thesun.my/cerita/berita/kerajaan-perluas-latihan-kecerdasan-buatan-penjawat-awam-HA15044100",
                "Kerajaan perluas latihan kecerdasan buatan untuk penjawat awam",
                "2025-10-07",
                True,
            ),
            _a(
                "https://thesun.my/malaysia-news/flash-floods-hit-three-districts-in-kedah-CH15044200",
                "Flash floods hit three districts in Kedah, said officials",
                "2025-10-07",
                False,
            ),
        ),
    ),
    Shape(
        "malaymail",
        "rss",
        "https://www.malaymail.com/feed/rss/malaysia",
        "star",
        (
            _a(
                "https://www.malaymail.com/news/malaysia/2025/06/18/naio-to-hand-in-ai-law-proposals-this-month/180800",
                "Naio to hand in AI law proposals this month",
                "2025-06-18",
                True,
            ),
            _a(
                "https://www.malaymail.com/news/malaysia/2025/03/25/civil-servants-get-generative-ai-training/170900",
                "Civil servants get generative AI training in phase two",
                "2025-03-25",
                True,
            ),
            _a(
                "https://www.malaymail.com/news/malaysia/2025/03/25/petrol-price-unchanged-this-week/170901",
                "Petrol price unchanged this week",
                "2025-03-25",
                False,
            ),
        ),
    ),
    Shape(
        "thestar",
        "rss",
        "https://www.thestar.com.my/rss/News/Nation",
        "star",
        (
            _a(
                "https://www.thestar.com.my/news/nation/2025/06/04/malaysia-sets-sights-on-regional-ai-leadership",
                "Malaysia sets sights on regional AI leadership",
                "2025-06-04",
                True,
            ),
            _a(
                "https://www.thestar.com.my/opinion/letters/2025/12/30/what-the-ai-rulebook-means-for-you",
                "What the coming AI rulebook means for you",
                "2025-12-30",
                True,
            ),
            _a(
                "https://www.thestar.com.my/news/nation/2025/06/04/new-bus-routes-for-penang-island",
                "New bus routes for Penang island from next month",
                "2025-06-04",
                False,
            ),
        ),
    ),
    Shape(
        "nst",
        "rss",
        "https://www.nst.com.my/news/nation.rss",
        "nstp",
        (
            _a(
                "https://www.nst.com.my/news/nation/2024/12/1147200/pm-national-ai-office-key-digital-ecosystem",
                "PM: National AI Office key to the digital ecosystem",
                "2024-12-12",
                True,
            ),
            _a(
                "https://www.nst.com.my/amp/news/nation/2025/05/1220301/ai-laws-need-update-says-minister",
                "AI laws need an update for new technology, says minister",
                "2025-05-28",
                True,
            ),
            _a(
                "https://www.nst.com.my/news/nation/2025/05/1220302/durian-exports-rise-in-first-quarter",
                "Durian exports rise in the first quarter",
                "2025-05-28",
                False,
            ),
        ),
    ),
    Shape(
        "fmt",
        "rss",
        "https://www.freemalaysiatoday.com/category/nation/feed/",
        "wordpress",
        (
            _a(
                "https://www.freemalaysiatoday.com/category/nation/2025/06/03/ai-regulation-report-due-by-end-june",
                "AI regulation report due by end-June, says minister",
                "2025-06-03",
                True,
            ),
            _a(
                "https://www.freemalaysiatoday.com/category/nation/2025/06/05/deepfake-scams-prompt-new-warning",
                "Deepfake scams prompt a new warning to bank customers",
                "2025-06-05",
                True,
            ),
            _a(
                "https://www.freemalaysiatoday.com/category/nation/2025/06/05/naik-taraf-jalan-kampung-bermula",
                "Naik taraf jalan kampung bermula bulan ini",
                "2025-06-05",
                False,
            ),
        ),
    ),
    Shape(
        "theedge",
        "listing",
        "https://theedgemalaysia.com/categories/malaysia",
        "edge",
        (
            _a(
                "https://theedgemalaysia.com/node/740600",
                "Cover Story: Inside the National AI Office's first year",
                "2025-01-12",
                True,
            ),
            _a(
                "https://theedgemalaysia.com/node/740611",
                "Data centres and AI demand lift power grid plans",
                "2025-01-13",
                True,
            ),
            _a(
                "https://theedgemalaysia.com/node/740622",
                "Ringgit firms against the US dollar at the open",
                "2025-01-13",
                False,
            ),
        ),
    ),
    Shape(
        "govinsider",
        "listing",
        "https://govinsider.asia/intl-en/",
        "govinsider",
        (
            _a(
                "https://govinsider.asia/intl-en/article/how-malaysia-plans-to-govern-ai",
                "How Malaysia plans to govern AI without slowing adoption",
                "2025-06-18",
                True,
            ),
            _a(
                "https://govinsider.asia/indo-en/article/malaysia-ai-office-chief-on-talent",
                "Malaysia's AI office chief on building public sector talent",
                "2025-07-02",
                True,
            ),
            _a(
                "https://govinsider.asia/intl-en/article/singapore-health-app-consolidation",
                "Singapore consolidates its public health apps",
                "2025-07-03",
                False,
            ),
        ),
    ),
    Shape(
        "astroawani",
        "rss",
        "https://rss.astroawani.com/rss/latest/public",
        "awani",
        (
            _a(
                "https://www.astroawani.com/berita-malaysia/naio-perkenal-kod-etika-kecerdasan-buatan-520101",
                "NAIO perkenal kod etika kecerdasan buatan",
                "2025-04-14",
                True,
            ),
            _a(
                "https://www.astroawani.com/berita-bisnes/syarikat-kecil-digalak-guna-ai-520102",
                "Syarikat kecil digalak guna AI untuk tingkat produktiviti",
                "2025-04-15",
                True,
            ),
            _a(
                "https://www.astroawani.com/berita-politik/dun-bersidang-selama-lima-hari-520103",
                "DUN bersidang selama lima hari mulai Isnin",
                "2025-04-15",
                False,
            ),
        ),
        lang="ms",
    ),
    Shape(
        "rtm-berita",
        "listing",
        "https://berita.rtm.gov.my/nasional/senarai-berita-nasional",
        "awani",
        (
            _a(
                "https://berita.rtm.gov.my/nasional/senarai-berita-nasional/senarai-artikel/kumpulan-kerja-ai-bermesyuarat-lagi",
                "Kumpulan kerja AI bermesyuarat lagi bulan depan",
                "2026-01-20",
                True,
            ),
            _a(
                "https://berita.rtm.gov.my/senarai-berita-nasional/senarai-artikel/pejabat-kecerdasan-buatan-negara-lawat-sarawak/",
                "Pejabat Kecerdasan Buatan Negara lawat Sarawak",
                "2026-01-22",
                True,
            ),
            _a(
                "https://berita.rtm.gov.my/nasional/senarai-berita-nasional/senarai-artikel/makan-sihat-bermula-di-rumah",
                "Makan sihat bermula di rumah, kata pakar pemakanan",
                "2026-01-22",
                False,
            ),
        ),
        lang="ms",
    ),
    Shape(
        "mediaselangor",
        "rss",
        "https://mediaselangor.com/en/feed/",
        "selangor",
        (
            _a(
                "https://mediaselangor.com/en/2025/03/257900",
                "Selangor launches three-year AI initiative for state agencies",
                "2025-03-24",
                True,
            ),
            _a(
                "https://www.mediaselangor.com/ms/2025/03/257901",
                "Pusat inkubator kecerdasan buatan Selangor dibuka",
                "2025-03-25",
                True,
            ),
            _a(
                "https://mediaselangor.com/en/2025/03/257902",
                "Free bus service extended to two more towns",
                "2025-03-25",
                False,
            ),
        ),
        aliases=("www.mediaselangor.com",),
    ),
    Shape(
        "malaysiagazette",
        "rss",
        "https://malaysiagazette.com/feed/",
        "wordpress-ms",
        (
            _a(
                "https://malaysiagazette.com/2025/02/28/pakar-berhimpun-dalam-mesyuarat-kumpulan-kerja-naio",
                "Pakar berhimpun dalam mesyuarat kumpulan kerja NAIO",
                "2025-02-28",
                True,
            ),
            _a(
                "https://malaysiagazette.com/2025/03/02/universiti-tawar-kursus-ai-baharu",
                "Universiti tawar kursus AI baharu tahun ini",
                "2025-03-02",
                True,
            ),
            _a(
                "https://malaysiagazette.com/2025/03/02/harga-ayam-stabil-menjelang-ramadan",
                "Harga ayam stabil menjelang Ramadan",
                "2025-03-02",
                False,
            ),
        ),
        lang="ms",
    ),
    Shape(
        "suarakeadilan",
        "rss",
        "https://suarakeadilan.com/feed/",
        "wordpress-ms",
        (
            _a(
                "https://suarakeadilan.com/2025/10/12/kerajaan-madani-perkukuh-tadbir-urus-ai",
                "Kerajaan perkukuh tadbir urus AI menerusi undang-undang baharu",
                "2025-10-12",
                True,
            ),
            _a(
                "https://suarakeadilan.com/belia-diajak-kuasai-kecerdasan-buatan",
                "Belia diajak kuasai kecerdasan buatan",
                "2025-10-14",
                True,
            ),
            _a(
                "https://suarakeadilan.com/2025/10/14/program-rumah-mampu-milik-diperluas",
                "Program rumah mampu milik diperluas ke tiga negeri",
                "2025-10-14",
                False,
            ),
        ),
        lang="ms",
    ),
    Shape(
        "bharian",
        "listing",
        "https://www.bharian.com.my/berita/nasional",
        "nstp",
        (
            _a(
                "https://www.bharian.com.my/berita/nasional/2025/10/1450001/pelan-tindakan-ai-negara-dibentang-disember",
                "Pelan Tindakan AI Negara dibentang Disember",
                "2025-10-06",
                True,
            ),
            _a(
                "https://www.bharian.com.my/berita/nasional/2025/10/07/1450002/guru-dilatih-guna-kecerdasan-buatan",
                "Guru dilatih guna kecerdasan buatan dalam bilik darjah",
                "2025-10-07",
                True,
            ),
            _a(
                "https://www.bharian.com.my/berita/nasional/2025/10/1450003/jalan-ditutup-untuk-larian-amal",
                "Jalan ditutup untuk larian amal pagi Ahad",
                "2025-10-07",
                False,
            ),
        ),
        lang="ms",
    ),
    Shape(
        "hmetro",
        "rss",
        "https://www.hmetro.com.my/mutakhir.xml",
        "nstp",
        (
            _a(
                "https://www.hmetro.com.my/mutakhir/2025/12/1300700/waspada-video-palsu-guna-ai",
                "Waspada video palsu guna AI, kata polis",
                "2025-12-02",
                True,
            ),
            _a(
                "https://www.hmetro.com.my/mutakhir/2025/12/1300701/naio-jelajah-sekolah-luar-bandar",
                "NAIO jelajah sekolah luar bandar",
                "2025-12-03",
                True,
            ),
            _a(
                "https://www.hmetro.com.my/mutakhir/2025/12/1300702/lelaki-ditahan-curi-motosikal",
                "Lelaki ditahan curi motosikal di Klang",
                "2025-12-03",
                False,
            ),
        ),
        lang="ms",
    ),
    Shape(
        "utusan",
        "rss",
        "https://www.utusan.com.my/category/nasional/feed/",
        "wordpress-ms",
        (
            _a(
                "https://www.utusan.com.my/nasional/2025/10/akta-kecerdasan-buatan-dirangka/",
                "Akta kecerdasan buatan sedang dirangka",
                "2025-10-09",
                True,
            ),
            _a(
                "https://www.utusan.com.my/nasional/2025/10/pusat-data-ai-dibina-di-johor/",
                "Pusat data AI dibina di Johor",
                "2025-10-10",
                True,
            ),
            _a(
                "https://www.utusan.com.my/nasional/2025/10/kadar-potongan-padi-naik/",
                "Kadar potongan padi naik, petani terjejas",
                "2025-10-10",
                False,
            ),
        ),
        lang="ms",
    ),
    Shape(
        "sinarharian",
        "rss",
        "https://www.sinarharian.com.my/rssFeed/211",
        "awani",
        (
            _a(
                "https://www.sinarharian.com.my/article/754600/berita/nasional/ai-bantu-kesan-rasuah-dalam-agensi",
                "AI bantu kesan rasuah dalam agensi kerajaan",
                "2025-11-05",
                True,
            ),
            _a(
                "https://www.sinarharian.com.my/article/754601/berita/semasa/pejabat-ai-kebangsaan-buka-makmal",
                "Pejabat AI Kebangsaan buka makmal di Cyberjaya",
                "2025-11-06",
                True,
            ),
            _a(
                "https://www.sinarharian.com.my/article/754602/berita/semasa/pasar-malam-dipindah",
                "Pasar malam dipindah ke tapak baharu",
                "2025-11-06",
                False,
            ),
        ),
        lang="ms",
    ),
    Shape(
        "dayakdaily",
        "rss",
        "https://dayakdaily.com/feed/",
        "wordpress",
        (
            _a(
                "https://dayakdaily.com/sarawak-ai-centre-to-train-civil-servants",
                "Sarawak AI centre to train civil servants from January",
                "2025-08-08",
                True,
            ),
            _a(
                "https://dayakdaily.com/deputy-digital-minister-visits-rural-longhouses",
                "Deputy Digital Minister visits rural longhouses in Sibuti",
                "2025-08-09",
                True,
            ),
            _a(
                "https://dayakdaily.com/kuching-waterfront-to-host-food-festival",
                "Kuching waterfront to host food festival",
                "2025-08-09",
                False,
            ),
        ),
    ),
    Shape(
        "sarawaktribune",
        "rss",
        "https://www.sarawaktribune.com/feed/",
        "wordpress",
        (
            _a(
                "https://www.sarawaktribune.com/no-rural-area-left-behind-in-ai-push",
                "No rural area left behind in AI push, says deputy minister",
                "2026-01-29",
                True,
            ),
            _a(
                "https://www.sarawaktribune.com/?p=514500",
                "Kecerdasan buatan bantu petani kesan penyakit tanaman",
                "2026-01-30",
                True,
            ),
            _a(
                "https://www.sarawaktribune.com/miri-marathon-draws-record-crowd",
                "Miri marathon draws a record crowd",
                "2026-01-30",
                False,
            ),
        ),
    ),
)

SHAPES_BY_SOURCE = {s.source: s for s in SHAPES}


# ------------------------------------------------------------------ serving


@dataclass
class _Site:
    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        site = self.server.site
        with self.server.lock:
            site.requests.append(self.path)
        found = site.pages.get(self.path)
        if found is None and self.path == "/robots.txt":
            found = (b"User-agent: *\nAllow: /\n", "text/plain")
        body, ctype = found if found is not None else (b"<h1>404</h1>", "text/html")
        self.send_response(200 if found is not None else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: _Site
    lock: threading.Lock


class HostedSites:
    """Every fixture host on its own 127.0.0.1 port; ``origins`` maps real to loopback."""

    def __init__(
        self, shapes: Iterable[Shape] = SHAPES, homes: Iterable[str] = (), feeds: Iterable[str] = ()
    ) -> None:
        """``homes``: front pages to serve too (each source's ``base_url``); ``feeds``:
        a source's other feeds, served as valid feeds with no items today."""
        self.shapes = tuple(shapes)
        self.sites: dict[str, _Site] = {}
        self.origins: dict[str, str] = {}
        self._servers: list[_Server] = []
        self._lock = threading.Lock()
        hosts: dict[str, tuple[str, ...]] = {}
        for shape in self.shapes:
            for url in (shape.channel_url, *(a.url for a in shape.articles)):
                host = urlsplit(url).hostname or ""
                aliases = tuple(a for a in shape.aliases if a != host)
                hosts.setdefault(host, aliases)
        for host, aliases in hosts.items():
            if host in self.sites:
                continue
            site = _Site()
            server = _Server(("127.0.0.1", 0), _Handler)
            server.site, server.lock = site, self._lock
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self._servers.append(server)
            origin = f"http://127.0.0.1:{server.server_address[1]}"
            for name in (host, *aliases):
                self.sites[name] = site
                self.origins[f"https://{name}"] = origin
        for shape in self.shapes:
            body, ctype = channel_body(shape)
            self.put(shape.channel_url, body, ctype)
            for a in shape.articles:
                self.put(a.url, article_html(shape, a), "text/html; charset=utf-8")
        for url in feeds:
            host = urlsplit(url).hostname or ""
            if host in self.sites and not self.requested_target(url, served=True):
                empty = "<?xml version='1.0'?><rss version='2.0'><channel><title>-</title>"
                self.put(url, empty + "</channel></rss>", "application/rss+xml")
        for url in homes:
            host = urlsplit(url).hostname or ""
            if host in self.sites and (urlsplit(url).path or "/") not in self.sites[host].pages:
                home = f"<html><body><h1>{host}</h1><a href='/'>Home</a></body></html>"
                self.put(url, home, "text/html; charset=utf-8")

    def put(self, url: str, text: str, ctype: str) -> None:
        """Serve ``text`` at the loopback copy of ``url`` (real origins in it rewritten)."""
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for real, loop in sorted(self.origins.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(real + "/", loop + "/")
        self.sites[parts.hostname or ""].pages[target] = (text.encode("utf-8"), ctype)

    def requested_target(self, url: str, *, served: bool = False) -> bool:
        """Whether ``url`` was requested (or, with ``served``, has a page)."""
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        site = self.sites[parts.hostname or ""]
        with self._lock:
            return target in (site.pages if served else site.requests)

    def requested(self, url: str) -> bool:
        """Whether the crawler asked for this (real-shaped) URL."""
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        with self._lock:
            return target in self.sites[parts.hostname or ""].requests

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()


def rehost(source: Source, sites: HostedSites) -> Source:
    """The registry source pointed at the loopback copies of its hosts."""
    return source.rehosted(sites.origins)
