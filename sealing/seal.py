"""The organisation's round seal, drawn as vector graphics from its name (issue: the signed record).

A red ring, the organisation's name set along the upper arc, a five-pointed star in the centre
and the seal's purpose ("电子签章", "项目专用章") below it. The same drawing appears in the PDF's
sign-off block (as SVG) and as the visible appearance of the PAdES signature (a one-page PDF of
it, rendered once per name and purpose).
"""

from __future__ import annotations

import base64
import math
from functools import lru_cache
from html import escape

SEAL_RED = "#d7191f"
SEAL_MM = 40  # diameter on the page; a company seal is commonly 40 or 42 mm
_VIEW = 200  # viewBox units; the ring's outer edge is at radius 97
_FONT = "Noto Serif CJK SC, Noto Sans CJK SC, serif"


def _star(cx: float, cy: float, outer: float) -> str:
    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.radians(-90 + i * 36)
        points.append(f"{cx + radius * math.cos(angle):.2f},{cy + radius * math.sin(angle):.2f}")
    return f'<polygon points="{" ".join(points)}" fill="{SEAL_RED}"/>'


def _name_on_arc(name: str) -> str:
    chars = list(name.strip()) or [" "]
    count = len(chars)
    # The name spans more of the ring the longer it is, never past the purpose line's corners.
    span = min(260.0, 19.0 * count)
    step = span / (count - 1) if count > 1 else 0.0
    font_size = min(26.0, max(9.0, math.radians(step) * 66 * 0.98)) if count > 1 else 26.0
    baseline = 88 - 0.9 * font_size  # the glyphs' tops touch the inside of the ring
    glyphs = []
    for i, char in enumerate(chars):
        angle = -span / 2 + i * step
        x = _VIEW / 2 + baseline * math.sin(math.radians(angle))
        y = _VIEW / 2 - baseline * math.cos(math.radians(angle))
        glyphs.append(
            f'<text x="0" y="0" transform="translate({x:.2f} {y:.2f}) rotate({angle:.2f})" '
            f'font-size="{font_size:.1f}" text-anchor="middle">{escape(char)}</text>'
        )
    return "".join(glyphs)


@lru_cache(maxsize=64)
def seal_svg(*, organization: str, purpose: str) -> str:
    """The seal as a standalone SVG document (square, SEAL_MM wide)."""
    centre = _VIEW / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SEAL_MM}mm" height="{SEAL_MM}mm" '
        f'viewBox="0 0 {_VIEW} {_VIEW}">'
        f'<circle cx="{centre}" cy="{centre}" r="93" fill="none" stroke="{SEAL_RED}" stroke-width="7"/>'
        f'<g fill="{SEAL_RED}" font-family="{_FONT}" font-weight="bold">'
        f"{_name_on_arc(organization)}"
        f'<text x="{centre}" y="{centre + 52}" font-size="17" text-anchor="middle">{escape(purpose)}</text>'
        "</g>"
        f"{_star(centre, centre, 30)}"
        "</svg>"
    )


def seal_data_uri(*, organization: str, purpose: str) -> str:
    svg = seal_svg(organization=organization, purpose=purpose).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
