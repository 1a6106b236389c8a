"""The build compiles the message catalogs into the wheel.

The .po files are the only source (git ignores *.mo): a wheel built from a clone would
otherwise serve English only. Everything else about the package is in pyproject.toml."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

TRANSLATIONS = Path("certtrack") / "translations"


class BuildPyWithCatalogs(build_py):
    """build_py, then each <locale>/LC_MESSAGES/*.po compiled to its .mo in the build."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads the source tree; `make install` compiles there
        for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parts[-3])
            target = Path(self.build_lib) / po.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as compiled:
                write_mo(compiled, catalog)  # fuzzy entries left out, as pybabel compile does


setup(cmdclass={"build_py": BuildPyWithCatalogs})
