"""Where signing keys and trust roots come from (settings ``ASAN_EDMS_SIGNATURES_*``).

Three sources, one per deployment kind: ``local_ca`` (dev and test only: an agency CA under the
data dir issues per-user certificates, ``asan pki``), ``files`` (production: each signer's
key and certificate as PEM files in a directory, trust roots from PEM files) and ``pkcs11``
(production: keys stay on a token, pyHanko talks to it through the vendor's PKCS#11 module).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

KeySource = Literal["local_ca", "files", "pkcs11"]


class SignatureSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASAN_EDMS_SIGNATURES_", env_file=".env", extra="ignore"
    )

    key_source: KeySource = Field(
        default="local_ca",
        description="local_ca (dev/test only), files or pkcs11 (production)",
    )
    trust_roots: str = Field(
        default="",
        description="Comma-separated PEM files of trusted root certificates (files/pkcs11); "
        "local_ca trusts the agency CA under the data dir",
    )
    crls: str = Field(
        default="",
        description="Comma-separated PEM files of certificate revocation lists (files/pkcs11)",
    )
    key_dir: Path | None = Field(
        default=None,
        description="files: directory holding <user id>.key.pem, <user id>.cert.pem and chain.pem",
    )
    pkcs11_module: Path | None = Field(default=None, description="pkcs11: the vendor's .so module")
    pkcs11_token_label: str = Field(default="", description="pkcs11: label of the token to use")
    pkcs11_pin: SecretStr | None = Field(default=None, description="pkcs11: the token's user PIN")
    pkcs11_key_label_prefix: str = Field(
        default="", description="pkcs11: a signer's key and certificate label is prefix + user id"
    )
    certificate_days: int = Field(
        default=365, ge=1, le=3650, description="local_ca: validity of a user's certificate"
    )

    def trust_root_paths(self) -> list[Path]:
        return [Path(p.strip()) for p in self.trust_roots.split(",") if p.strip()]

    def crl_paths(self) -> list[Path]:
        return [Path(p.strip()) for p in self.crls.split(",") if p.strip()]
