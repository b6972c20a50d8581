"""Copy the front-end packages installed by npm into static/.

GOV.UK Frontend's compiled CSS points at /assets/; we serve it under
/static/govuk/, so those URLs are made relative to the stylesheet.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
STATIC = ROOT / "static"


def main() -> int:
    govuk = NODE / "govuk-frontend" / "dist" / "govuk"
    htmx = NODE / "htmx.org" / "dist" / "htmx.min.js"
    for required in (govuk, htmx):
        if not required.exists():
            print(f"{required} is missing: run 'npm ci' first.", file=sys.stderr)
            return 1
    if STATIC.exists():
        shutil.rmtree(STATIC)
    (STATIC / "govuk").mkdir(parents=True)
    (STATIC / "htmx").mkdir()
    shutil.copytree(govuk / "assets", STATIC / "govuk" / "assets")
    css = (govuk / "govuk-frontend.min.css").read_text()
    (STATIC / "govuk" / "govuk-frontend.min.css").write_text(css.replace("url(/assets/", "url(assets/"))
    for name in ("govuk-frontend.min.css.map", "govuk-frontend.min.js", "govuk-frontend.min.js.map"):
        shutil.copy(govuk / name, STATIC / "govuk" / name)
    shutil.copy(htmx, STATIC / "htmx" / "htmx.min.js")
    print(f"Front-end assets copied into {STATIC.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
