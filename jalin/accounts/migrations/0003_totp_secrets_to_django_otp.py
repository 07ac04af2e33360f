"""Move the secrets of the home-made TOTP devices into django-otp's TOTPDevice rows.

The old secret is base32 (what the authenticator app holds); django-otp keeps the same key
hex-encoded, with the same 30-second step and 6 digits, so every enrolled app keeps producing
valid codes. The last accepted time step carries over, so a code used before cannot be
replayed. Unconfirmed set-ups are dropped (the user starts again). Then the old table goes.
"""

import base64
import binascii

from django.db import migrations


def move_secrets(apps, schema_editor):
    Old = apps.get_model("accounts", "TOTPDevice")
    New = apps.get_model("otp_totp", "TOTPDevice")
    for old in Old.objects.filter(confirmed_at__isnull=False).iterator():
        cleaned = old.secret.replace(" ", "").upper()
        key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
        New.objects.create(
            user_id=old.user_id,
            name="authenticator",
            confirmed=True,
            key=binascii.hexlify(key).decode("ascii"),
            step=30,
            t0=0,
            digits=6,
            tolerance=1,
            drift=0,
            last_t=old.last_used_step if old.last_used_step is not None else -1,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_totp_device"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(move_secrets, migrations.RunPython.noop),
        migrations.DeleteModel(name="TOTPDevice"),
    ]
