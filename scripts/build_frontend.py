"""Copy the NHS.UK frontend from node_modules into build/static (not committed).

The package's CSS points at /assets/...; we rewrite those to relative URLs so the files
work under STATIC_URL and with hashed file names in production.
"""

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
TARGET = ROOT / "build" / "static" / "nhsuk"


def main() -> int:
    if not SOURCE.exists():
        print("node_modules/nhsuk-frontend is missing: run 'npm ci' first.", file=sys.stderr)
        return 1
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    shutil.copytree(SOURCE / "assets", TARGET / "assets")
    for name in ("nhsuk-frontend.min.css", "nhsuk-frontend.min.js"):
        text = (SOURCE / name).read_text(encoding="utf-8")
        text = text.replace("url(/assets/", "url(assets/")
        # Drop the source map comment: the maps are not shipped.
        text = re.sub(r"(//# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+ \*/)", "", text)
        (TARGET / name).write_text(text, encoding="utf-8")
    print(f"NHS.UK frontend copied to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
