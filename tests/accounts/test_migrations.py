"""The data migrations of accounts: secrets of the home-made TOTP move into django-otp and
keep producing valid codes; clear API tokens become hashed tokens that keep working."""

import base64
import hashlib
import hmac
import struct
import time

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
BEFORE = [("accounts", "0002_totp_device")]
AFTER = [("accounts", "0004_api_tokens_hashed")]


def code(secret: str, step: int) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    start = digest[19] & 15
    return f"{(struct.unpack('>I', digest[start : start + 4])[0] & 0x7FFFFFFF) % 1000000:06d}"


class AccountsMigrationTests(TransactionTestCase):
    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    def test_it_moves_an_old_totp_secret_that_then_logs_in_and_hashes_clear_api_tokens(self):
        old_apps = self.migrate(BEFORE)
        User = old_apps.get_model("accounts", "User")
        user = User.objects.create(username="alice", password="x")
        step = int(time.time()) // 30
        old_apps.get_model("accounts", "TOTPDevice").objects.create(
            user=user, secret=SECRET, confirmed_at="2026-01-01T00:00:00Z", last_used_step=step - 1
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id bigint)"
            )
            cursor.execute(
                "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
                ["a" * 40, "2026-01-01", user.pk],
            )

        self.migrate(AFTER)
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from jalin.accounts.models import ApiToken
        from jalin.accounts.tokens import api_token_user

        device = TOTPDevice.objects.get(user_id=user.pk)
        self.assertTrue(device.confirmed)
        self.assertFalse(device.verify_token(code(SECRET, step - 1)))  # used before: no replay
        device.throttle_reset()  # django-otp waits a second after a wrong code
        self.assertTrue(device.verify_token(code(SECRET, step)))
        token = ApiToken.objects.get(user_id=user.pk)
        self.assertEqual(token.digest, hashlib.sha256(b"a" * 40).hexdigest())
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM authtoken_token")
            self.assertEqual(cursor.fetchone()[0], 0)
            cursor.execute("DROP TABLE authtoken_token")
        # The migrated token keeps working (until API_TOKEN_DAYS from the migration).
        self.assertEqual(api_token_user("a" * 40).pk, user.pk)
