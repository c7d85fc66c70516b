"""Compile locale/*/LC_MESSAGES/*.po to .mo with polib (pure Python: no GNU gettext needed)."""

from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent / "locale"
for po_path in root.glob("*/LC_MESSAGES/*.po"):
    catalog = polib.pofile(str(po_path))
    catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"{po_path.relative_to(root.parent)}: {catalog.percent_translated()}% translated")
