"""Local development and `make run`: DEBUG on unless the environment says otherwise."""

from config.env import env
from config.settings.base import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=True)
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool(
    "MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=True
)
SECRET_KEY = env.str(
    "SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production"
)
