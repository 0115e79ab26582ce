from pathlib import Path

import pytest

from compliance import seal


@pytest.fixture(scope="session")
def seal_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("seal")


@pytest.fixture(autouse=True)
def jour_seal(settings, seal_dir, tmp_path):
    """Every compliance test has a seal of its own kind (made once per run) and a private media folder."""
    settings.JOUR_SEAL_KEY_FILE = str(seal_dir / "key.pem")
    settings.JOUR_SEAL_CERT_FILE = str(seal_dir / "cert.pem")
    settings.MEDIA_ROOT = tmp_path / "media"
    if not seal.exists():
        seal.create(name="Testjouren")
    return seal_dir
