"""The font of the visible signature block: DejaVu Sans (every Azerbaijani letter: ə, ğ, ı, İ,
ö, ş, ü, ç), rescaled to 1000 units per em.

pyHanko writes a TrueType font's glyph widths in the font's own units, while PDF reads them
as thousandths of an em; DejaVu has 2048 units per em, so its text came out twice as wide as
it should be (letters drifting apart, lines cut at the box). A copy rescaled with fontTools
to 1000 units renders exactly; it is made once per machine (about 3 s) and kept in the cache.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_lock = threading.Lock()


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "asan" / "fonts"


def block_font() -> Path:
    """The path of the rescaled font, made on first use (atomically: concurrent workers agree)."""
    target = _cache_dir() / "DejaVuSans-1000upem.ttf"
    if target.exists():
        return target
    with _lock:
        if target.exists():
            return target
        if not DEJAVU.exists():
            raise RuntimeError(f"{DEJAVU} is missing: install the Debian package fonts-dejavu-core")
        font = TTFont(str(DEJAVU))
        scale_upem(font, 1000)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        font.save(str(partial))
        os.replace(partial, target)
    return target
