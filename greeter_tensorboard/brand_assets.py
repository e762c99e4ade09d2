"""Builds TensorBoard-X's asset bundle: TensorBoard's own webfiles.zip with the brand rewritten.

    brand_assets.py --input webfiles.zip --output tensorboard_x_webfiles.zip --brand TensorBoard-X

Each rewrite must match exactly once. When a new TensorBoard no longer contains what it rewrites,
the build fails and says what it expected, rather than shipping a half-branded bundle.
"""

import argparse
import re
import sys
import zipfile


class BrandingError(Exception):
    """TensorBoard's bundle does not contain what a rewrite expects."""


# (file in the zip, what is rewritten, pattern whose "brand" group is replaced)
REWRITES = (
    ("index.html", "the page <title>", re.compile(r"<title>(?P<brand>TensorBoard)</title>")),
    (
        "index.js",
        "the app-header's brand text before its plugin-selector",
        re.compile(r'\(\d+,"span",\d+\),\w+\(\d+,"(?P<brand>TensorBoard)"\),\w+\(\),\w+\(\d+,"plugin-selector"'),
    ),
)


def rebrand(text, pattern, brand, what, name):
    """Returns `text` with the one match of `pattern`'s "brand" group replaced by `brand`."""
    matches = list(pattern.finditer(text))
    if len(matches) != 1:
        raise BrandingError(
            "expected exactly one match for %s in %s (pattern %s), found %d: TensorBoard's bundle has "
            "changed; update REWRITES in greeter_tensorboard/brand_assets.py"
            % (what, name, pattern.pattern, len(matches))
        )
    start, end = matches[0].span("brand")
    return text[:start] + brand + text[end:]


def brand_zip(input_path, output_path, brand):
    """Copies the zip at `input_path` to `output_path`, with every rewrite of REWRITES applied."""
    rewrites = {name: [] for name, _, _ in REWRITES}
    for name, what, pattern in REWRITES:
        rewrites[name].append((what, pattern))
    with zipfile.ZipFile(input_path) as source:
        missing = sorted(set(rewrites) - set(source.namelist()))
        if missing:
            raise BrandingError("%s holds no %s" % (input_path, ", ".join(missing)))
        with zipfile.ZipFile(output_path, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename in rewrites:
                    text = data.decode("utf-8")
                    for what, pattern in rewrites[info.filename]:
                        text = rebrand(text, pattern, brand, what, info.filename)
                    data = text.encode("utf-8")
                target.writestr(info, data)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", required=True, help="TensorBoard's webfiles.zip")
    parser.add_argument("--output", required=True, help="where to write the branded zip")
    parser.add_argument("--brand", required=True, help="the name to show instead of TensorBoard")
    args = parser.parse_args(argv)
    try:
        brand_zip(args.input, args.output, args.brand)
    except BrandingError as e:
        sys.exit("brand_assets: %s" % e)


if __name__ == "__main__":
    main()
