import pytest


@pytest.fixture(autouse=True)
def _signing(certificate):
    """Filing a letter renders its sealed PDF after commit, with the other callbacks the tests run."""
    return certificate
