"""The jour's own seal: a private key and a self-signed certificate.

Created once at installation by `python manage.py create_seal_key`, stored in
two files outside the repository and the database (JOUR_SEAL_KEY_FILE and
JOUR_SEAL_CERT_FILE). The key seals every assurance PDF; the certificate, and
its fingerprint printed on each assurance, is what a reader checks against.
"""

import datetime
import hashlib
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.keys import load_cert_from_pemder
from pyhanko.sign import signers


class SealMissing(Exception):
    """The seal key or certificate is not installed."""


def paths() -> tuple[Path, Path]:
    return Path(settings.JOUR_SEAL_KEY_FILE), Path(settings.JOUR_SEAL_CERT_FILE)


def exists() -> bool:
    key, cert = paths()
    return key.is_file() and cert.is_file()


def create(*, name: str, years: int = 20, force: bool = False) -> str:
    """Write a new key and certificate; return the certificate's SHA-256 fingerprint."""
    key_path, cert_path = paths()
    if not force and (key_path.exists() or cert_path.exists()):
        raise FileExistsError(f"{key_path} or {cert_path} exists already")
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{name} (sigill)"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name[:64]),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    cert_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Created with owner-only permissions from the start, never readable by others.
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key_bytes)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return fingerprint()


def certificate_der() -> bytes:
    _, cert_path = paths()
    if not cert_path.is_file():
        raise SealMissing(str(cert_path))
    return x509.load_pem_x509_certificate(cert_path.read_bytes()).public_bytes(serialization.Encoding.DER)


def fingerprint() -> str:
    digest = hashlib.sha256(certificate_der()).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def signer():

    key_path, cert_path = paths()
    if not exists():
        raise SealMissing(f"{key_path} / {cert_path}")
    return signers.SimpleSigner.load(str(key_path), str(cert_path))


def trust_root():

    _, cert_path = paths()
    if not cert_path.is_file():
        raise SealMissing(str(cert_path))
    return load_cert_from_pemder(str(cert_path))
