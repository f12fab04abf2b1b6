"""Demo media made at seed time, small and without any file shipped: pictures drawn with
Pillow (a few shapes in a centre's colours, a few kilobytes each) and PDF documents
written by hand (one page of text, a kilobyte or two), so that the demo shows covers,
banners, thumbnails and downloads. Real installations never run this (the demo app is
not installed in production)."""

import io
import zlib

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.utils.file import hash_filelike


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def _mix(colour, other, share):
    return tuple(round(a * (1 - share) + b * share) for a, b in zip(colour, other, strict=True))


def picture_bytes(accent: str, seed: int, size=(960, 540)) -> bytes:
    """A landscape of soft shapes in the accent's tints: recognisably different per
    seed, a few kilobytes as JPEG."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = size
    base = _rgb(accent)
    light = _mix(base, (255, 255, 255), 0.82)
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    # Deterministic "randomness": the same seed draws the same picture.
    state = seed * 7919 + 17

    def rand(n):
        nonlocal state
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        return state % n

    # Hills (the city's skyline beyond), then blocks of buildings, then a sun.
    sun = _mix(base, (255, 210, 80), 0.7)
    cx, cy, r = 120 + rand(width - 240), 50 + rand(height // 5), 36 + rand(30)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=sun)
    window = _mix(base, (255, 236, 180), 0.75)
    for layer, share in enumerate((0.6, 0.38, 0.12)):
        colour = _mix(base, (255, 255, 255), share)
        top = height // 2 + layer * height // 10
        x = -rand(80)
        while x < width:
            w = 60 + rand(140)
            y = top - (height // 6 + rand(height // 3)) + layer * 30
            draw.rectangle([x, y, x + w, height], fill=colour)
            if layer == 2:  # the front row has lit windows
                for wy in range(y + 14, height - 20, 34):
                    for wx in range(x + 12, x + w - 20, 28):
                        if rand(3):
                            draw.rectangle([wx, wy, wx + 12, wy + 16], fill=window)
            x += w + rand(24)
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, optimize=True)
    return buffer.getvalue()


def logo_bytes(accent: str, initials: str, size=192) -> bytes:
    """A round badge with the centre's initials, as PNG."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([0, 0, size - 1, size - 1], fill=_rgb(accent))
    font = ImageFont.load_default(size=size // (2 + len(initials) // 2))
    draw.text((size / 2, size / 2), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _pdf_text(text: str) -> str:
    # Latin-1 text in a PDF string (WinAnsiEncoding): escape the delimiters.
    return (
        text.replace("’", "'")
        .replace("\\", "\\\\")
        .replace("(", "\\(")
        .replace(")", "\\)")
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + ([line] if line else [])


def pdf_bytes(title: str, subtitle: str, paragraphs: list[str], accent: str = "#1d4f91") -> bytes:
    """A one-page A4 PDF with a coloured band, a title and text (Helvetica: a standard
    font, nothing embedded). Readable by PDF readers, pypdf (the search's text) and
    PDFium (the thumbnail)."""
    r, g, b = (c / 255 for c in _rgb(accent))
    ops = [f"{r:.3f} {g:.3f} {b:.3f} rg 0 662 595 180 re f", "1 1 1 rg", "BT /F2 22 Tf 50 770 Td"]
    for number, line in enumerate(_wrap(title, 38)[:3]):
        ops.append(("0 -28 Td " if number else "") + f"({_pdf_text(line)}) Tj")
    ops += ["ET", "BT /F1 12 Tf 50 686 Td", f"({_pdf_text(subtitle)}) Tj", "ET"]
    ops += ["0.12 0.12 0.12 rg", "BT /F1 11 Tf 15 TL 50 620 Td"]
    for paragraph in paragraphs:
        for line in _wrap(paragraph, 88):
            ops.append(f"({_pdf_text(line)}) Tj T*")
        ops.append("T*")
    ops.append("ET")
    stream = zlib.compress("\n".join(ops).encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def ensure_image(collection, title, data: bytes, filename: str, description=""):
    """The image of that title in the collection, created once."""
    Image = get_image_model()
    found = Image.objects.filter(collection=collection, title=title).first()
    if found is not None:
        return found
    return Image.objects.create(
        title=title,
        description=description,
        collection=collection,
        file=ImageFile(io.BytesIO(data), name=filename),
    )


def ensure_document(collection, title, data: bytes, filename: str):
    """The document of that title in the collection, created once, with its size and
    hash set as the admin's upload form sets them, and its text extracted here: the
    seed leaves nothing in the background queue (a test database is copied from it)."""

    from portal.document_text import extract_document_text
    from portal.indexing import index_object

    Document = get_document_model()
    found = Document.objects.filter(collection=collection, title=title).first()
    if found is not None:
        return found
    document = Document(title=title, collection=collection, file_size=len(data))
    document.file_hash = hash_filelike(io.BytesIO(data))
    document.file.save(filename, ContentFile(data), save=False)
    # Without the upload's signal, which would queue the text extraction.
    (document,) = Document.objects.bulk_create([document])
    index_object(document)
    extract_document_text(document.pk)
    return document
