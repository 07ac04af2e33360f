"""API tokens stored as a hash, with a name and an expiry (accounts.ApiToken).

Tokens of Django REST framework's `authtoken` app were kept in clear in `authtoken_token`.
Each is hashed into an ApiToken named "migrated token", valid for API_TOKEN_DAYS (90 by
default) from this migration, so clients keep working until then; the clear keys are then
deleted. The app `rest_framework.authtoken` is no longer installed, so its table is read
with SQL when it exists (a fresh database has none).
"""

import hashlib
from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def hash_clear_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    expires_at = timezone.now() + timedelta(days=getattr(settings, "API_TOKEN_DAYS", 90))
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id FROM authtoken_token")
        rows = cursor.fetchall()
    for key, user_id in rows:
        ApiToken.objects.create(
            user_id=user_id,
            name="migrated token",
            prefix=key[:10],
            digest=hashlib.sha256(key.encode("utf-8")).hexdigest(),
            expires_at=expires_at,
        )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_totp_secrets_to_django_otp"),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('prefix', models.CharField(help_text='The first characters, to recognise a token.', max_length=12, verbose_name='prefix')),
                ('digest', models.CharField(max_length=64, unique=True, verbose_name='digest')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('expires_at', models.DateTimeField(verbose_name='expires at')),
                ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='last used at')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.RunPython(hash_clear_tokens, migrations.RunPython.noop),
    ]
