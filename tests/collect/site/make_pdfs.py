"""Write the fixture site's PDF press releases (run once; the PDFs are committed).

A minimal, valid PDF 1.4 with Helvetica text, written by hand so the fixture
needs no PDF library to build and pypdf reads it like a ministry's export.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(lines: list[str], title: str | None) -> bytes:
    """One page; an empty string in ``lines`` is a blank line (a paragraph break)."""
    text = ["BT", "/F1 11 Tf", "14 TL", "60 780 Td"]
    for line in lines:
        text.append(f"({_escape(line)}) Tj T*" if line else "T*")
    text.append("ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    if title is not None:
        objects.append(
            b"<< /Title (" + _escape(title).encode("latin-1") + b") /Producer (naio-nlp fixture) >>"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    info = b" /Info %d 0 R" % len(objects) if title is not None else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        info,
        xref,
    )
    return bytes(out)


SANDBOX = [
    "KENYATAAN MEDIA",
    "",
    "Tarikh: 12 Mei 2025",
    "",
    "Kementerian Digital dengan kerjasama Pejabat Kecerdasan Buatan Negara (NAIO)",
    "hari ini melancarkan kotak pasir kawal selia AI yang pertama di Malaysia.",
    "",
    "Kotak pasir ini membolehkan syarikat tempatan menguji penyelesaian kecerdasan",
    "buatan dalam persekitaran terkawal selama enam bulan sebelum dikomersialkan.",
    "",
    "Permohonan kohort pertama dibuka sehingga 30 Jun 2025 melalui portal NAIO.",
]

DATA_CENTRE = [
    "MEDIA STATEMENT",
    "",
    "Date: 18 September 2025",
    "",
    "The Ministry of Digital and the National AI Office signed a memorandum of",
    "understanding with three data centre operators to expand sovereign AI compute.",
    "",
    "Under the agreement the operators will reserve capacity for public sector AI",
    "workloads and train two hundred engineers over the next two years.",
]


def main() -> None:
    (HERE / "kd" / "muat-turun").mkdir(parents=True, exist_ok=True)
    (HERE / "kd" / "muat-turun" / "kenyataan-media-kotak-pasir-ai.pdf").write_bytes(
        make_pdf(SANDBOX, title=None)
    )
    (HERE / "kd" / "muat-turun" / "media-statement-data-centre.pdf").write_bytes(
        make_pdf(DATA_CENTRE, title="MoU on Sovereign AI Compute Capacity")
    )


if __name__ == "__main__":
    main()
