"""Create a self-signed seal certificate for development and tests (never for production)."""

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def create_certificate(key_file: Path, cert_file: Path, common_name: str = "Protokoll utvecklingssigill") -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Exempel kommun (utveckling)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_file.parent.mkdir(parents=True, exist_ok=True)
    cert_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_file.chmod(0o600)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


class Command(BaseCommand):
    help = "Skapar ett självsignerat sigillcertifikat för utveckling och test."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="Gör ingenting om certifikatet finns.")

    def handle(self, *args, **options) -> None:
        if not settings.SEAL_KEY_FILE or not settings.SEAL_CERT_FILE:
            raise CommandError("SEAL_KEY_FILE och SEAL_CERT_FILE måste vara satta.")
        key_file, cert_file = Path(settings.SEAL_KEY_FILE), Path(settings.SEAL_CERT_FILE)
        if options["if_missing"] and key_file.exists() and cert_file.exists():
            return
        create_certificate(key_file, cert_file)
        self.stdout.write(f"Certifikat skapat: {cert_file} (nyckel {key_file}). Endast för utveckling.")
