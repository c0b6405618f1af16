"""A throwaway certificate authority and a TLS simulator signed by it, for tests and the
one-shot benchmark. Certificate checks stay on: clients are told to trust the CA."""

from __future__ import annotations

import datetime
import ipaddress
import shutil
import socket
import ssl
import subprocess
from pathlib import Path

from snaptui.simulator import Gateway, Simulator


def throwaway_ca(directory: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context with a certificate for 127.0.0.1, and the CA's PEM file."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    valid = (now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=1))
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "snaptui throwaway CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid[0])
        .not_valid_after(valid[1])
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid[0])
        .not_valid_after(valid[1])
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = directory / "ca.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    chain = directory / "server.pem"
    chain.write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain)
    return context, ca_file


def ca_stores(directory: Path, ca_file: Path) -> dict[str, str]:
    """The platform's CA stores with the throwaway CA added, as the variables OpenSSL
    reads: a bundle (SSL_CERT_FILE, and REQUESTS_CA_BUNDLE for requests) and a hashed
    directory (SSL_CERT_DIR). A real-sized store, so loading it is part of any timing."""
    paths = ssl.get_default_verify_paths()
    bundle = directory / "bundle.pem"
    system = Path(paths.cafile) if paths.cafile else None
    base = system.read_bytes() if system and system.exists() else b""
    bundle.write_bytes(base + ca_file.read_bytes())
    stores = {"REQUESTS_CA_BUNDLE": str(bundle)}
    hashed = directory / "certs"
    hashed.mkdir()
    if paths.capath and Path(paths.capath).is_dir():
        for entry in Path(paths.capath).iterdir():
            (hashed / entry.name).symlink_to(entry.resolve())
    openssl = shutil.which("openssl")
    if openssl:
        subject_hash = subprocess.run(
            [openssl, "x509", "-subject_hash", "-noout", "-in", str(ca_file)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        shutil.copy(ca_file, hashed / f"{subject_hash}.0")
        stores["SSL_CERT_DIR"] = str(hashed)
    else:
        stores["SSL_CERT_FILE"] = str(bundle)
    return stores


def tls_simulator(context: ssl.SSLContext, gateway: Gateway | None = None) -> tuple[Simulator, str]:
    """A started simulator behind TLS, and its https URL."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    wrapped = context.wrap_socket(listener, server_side=True)
    sim = Simulator(gateway or Gateway(), sock=wrapped).start()
    return sim, f"https://127.0.0.1:{wrapped.getsockname()[1]}"
