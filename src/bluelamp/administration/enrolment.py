"""What the administrator hands a new officer to sign in: the second factor's secret as a QR
code (drawn here as SVG, nothing fetched) and as text for typing into an authenticator app."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four as authenticator apps show it."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code(device: TOTPDevice) -> SafeString:
    """The otpauth:// address of the device (issuer: the force's name) as an inline SVG image;
    inline markup needs no script or style, so the security policy allows it."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    svg = image.to_string(encoding="unicode")
    labelled = svg.replace(
        "<svg ",
        '<svg role="img" aria-label="QR code for the authenticator app" class="qr" ',
        1,
    )
    return mark_safe(labelled)  # noqa: S308 - drawn by qrcode from our own device's address
