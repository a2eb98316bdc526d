"""The font of the visible signature block: DejaVu Sans (every Azerbaijani letter: ə, ğ, ı, İ,
ö, ş, ü, ç), rescaled to 1000 units per em.

pyHanko writes a TrueType font's glyph widths in the font's own units, while PDF reads them
as thousandths of an em; DejaVu has 2048 units per em, so its text came out twice as wide as
it should be (letters drifting apart, lines cut at the box). A copy rescaled with fontTools
to 1000 units renders exactly. The copy is also cut down to the letters a block can hold
(Latin with every Azerbaijani letter, Cyrillic, digits, punctuation, №, ₼): pyHanko subsets
the font at every signature, and subsetting all of DejaVu took longer than the signing. It is
made once per machine (a few seconds) and kept in the cache; other characters show as boxes.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_lock = threading.Lock()
CHARACTERS = sorted(
    {
        *range(0x20, 0x7F),  # ASCII
        *range(0xA0, 0x180),  # Latin-1 and Latin Extended-A: Ç ç Ğ ğ I ı İ Ö ö Ş ş Ü ü
        0x18F,  # Ə
        0x259,  # ə
        *range(0x400, 0x500),  # Cyrillic (names of Russian-speaking signers)
        *range(0x2010, 0x2028),  # dashes, quotes, ellipsis
        0x2116,  # №
        0x20BC,  # ₼
    }
)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "asan" / "fonts"


def block_font() -> Path:
    """The path of the rescaled font, made on first use (atomically: concurrent workers agree)."""
    target = _cache_dir() / "DejaVuSans-1000upem-block-v2.ttf"
    if target.exists():
        return target
    with _lock:
        if target.exists():
            return target
        if not DEJAVU.exists():
            raise RuntimeError(f"{DEJAVU} is missing: install the Debian package fonts-dejavu-core")
        font = TTFont(str(DEJAVU))
        scale_upem(font, 1000)
        options = subset.Options(notdef_outline=True, hinting=False, layout_features=[])
        options.drop_tables += ["GPOS", "GSUB", "GDEF"]  # pyHanko drops them when it subsets
        cutter = subset.Subsetter(options)
        cutter.populate(unicodes=CHARACTERS)
        cutter.subset(font)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        font.save(str(partial))
        os.replace(partial, target)
    return target
