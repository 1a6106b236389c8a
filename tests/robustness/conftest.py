"""The robustness tests run against the demo data, signed in the way each interface is."""

from tests.api.conftest import as_user  # noqa: F401  (fixtures shared with the API tests)
from tests.web.conftest import demo, frozen  # noqa: F401  (and with the web tests)
