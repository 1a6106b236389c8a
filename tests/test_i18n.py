"""Every string people read exists in Italian: the catalog covers everything the code and
templates mark for translation, with nothing fuzzy or empty."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "certtrack" / "translations" / "it" / "LC_MESSAGES" / "messages.po"
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]


def source_messages() -> set[str]:
    found = set()
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "certtrack"), METHODS, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_italian_catalog_is_complete():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if "fuzzy" not in message.flags and all(strings):
            translated[key] = strings
    missing = sorted(source_messages() - set(translated))
    assert not missing, f"{len(missing)} strings lack Italian (run `make messages`): {missing[:10]}"


def test_placeholders_survive_translation():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id or isinstance(message.id, tuple):
            continue
        for placeholder in ("%(", "%%"):
            assert message.id.count(placeholder) == message.string.count(placeholder), message.id
