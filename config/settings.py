"""Secrets and deployment settings from the environment, validated at start-up.

Outside development the service refuses to start with a missing, short or well-known secret.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from privacy.pseudonym import Pseudonymiser

KNOWN_WEAK = {
    "changeme",
    "change-me",
    "secret",
    "password",
    "development",
    "dev",
    "test",
    "speakup",
}


class SettingsError(Exception):
    """The environment is missing a secret or holds an unsafe one."""


class Settings(BaseSettings):
    """Everything that comes from the environment."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    speakup_env: Literal["development", "test", "production"] = "production"
    speakup_secret_key: SecretStr | None = None
    speakup_secret_key_version: str = Field("1", pattern=r"^[0-9a-z]{1,8}$")
    speakup_old_secret_keys: SecretStr | None = None  # "version:key,version:key"
    speakup_config: str | None = None
    database_url: str = "sqlite:///./data/speakup.db"
    redis_url: str | None = None
    public_base_url: str | None = None
    speakup_rest_token: SecretStr | None = None
    speakup_session_secret: SecretStr | None = None
    speakup_contact_key: str | None = None
    speakup_metrics_token: SecretStr | None = None
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    telegram_bot_token: SecretStr | None = None
    telegram_secret_token: SecretStr | None = None
    telegram_api_base_url: str | None = None  # tests point python-telegram-bot at a fake Bot API

    @property
    def development(self) -> bool:
        """Development or test: a generated key and an open REST endpoint are allowed."""
        return self.speakup_env in ("development", "test")

    @model_validator(mode="after")
    def _enforce_secrets(self) -> Settings:
        key = self.speakup_secret_key.get_secret_value() if self.speakup_secret_key else ""
        if not key:
            raise ValueError("SPEAKUP_SECRET_KEY is not set (make run creates one for development)")
        if not self.development:
            if len(key) < 32 or key.lower() in KNOWN_WEAK:
                raise ValueError(
                    "SPEAKUP_SECRET_KEY must be at least 32 random characters outside development"
                )
            session = (
                self.speakup_session_secret.get_secret_value()
                if self.speakup_session_secret
                else ""
            )
            if len(session) < 32 or session.lower() in KNOWN_WEAK:
                raise ValueError(
                    "SPEAKUP_SESSION_SECRET must be at least 32 random characters outside development"
                )
            for name in ("speakup_rest_token", "telegram_secret_token", "speakup_metrics_token"):
                value = getattr(self, name)
                token = value.get_secret_value() if value else ""
                if token and (len(token) < 24 or token.lower() in KNOWN_WEAK):
                    raise ValueError(f"{name.upper()} must be at least 24 random characters")
        return self

    def session_secret(self) -> bytes:
        """The staff session key: SPEAKUP_SESSION_SECRET, or in development one derived from the HMAC key."""
        if self.speakup_session_secret:
            return self.speakup_session_secret.get_secret_value().encode()
        assert self.speakup_secret_key is not None
        return hashlib.sha256(
            b"dev-session\x00" + self.speakup_secret_key.get_secret_value().encode()
        ).digest()

    def pseudonymiser(self) -> Pseudonymiser:
        """Build the keyed hasher from the current and any older key versions."""
        assert self.speakup_secret_key is not None
        keys = {
            self.speakup_secret_key_version: self.speakup_secret_key.get_secret_value().encode()
        }
        if self.speakup_old_secret_keys:
            for item in self.speakup_old_secret_keys.get_secret_value().split(","):
                version, _, secret = item.strip().partition(":")
                if version and secret and version not in keys:
                    keys[version] = secret.encode()
        return Pseudonymiser(keys=keys, current=self.speakup_secret_key_version)


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, turning validation errors into one clear message."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        reasons = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise SettingsError(reasons) from None
