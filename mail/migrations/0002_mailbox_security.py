"""Mailbox.use_ssl becomes Mailbox.security (TLS, STARTTLS or none), and a CA file.

use_ssl=True was TLS from the start, False plain text: they map to "tls" and
"none". Going back, STARTTLS maps to use_ssl=True, which fails loudly rather
than sending the password in plain text.
"""

from django.db import migrations, models

# Each row is updated once: on PostgreSQL a row updated twice in the migration's
# transaction leaves a foreign-key check pending, and the next ALTER TABLE fails.


def security_from_use_ssl(apps, schema_editor):
    Mailbox = apps.get_model("mail", "Mailbox")
    Mailbox.objects.filter(use_ssl=True).update(security="tls")
    Mailbox.objects.filter(use_ssl=False).update(security="none")


def use_ssl_from_security(apps, schema_editor):
    Mailbox = apps.get_model("mail", "Mailbox")
    Mailbox.objects.exclude(security="none").update(use_ssl=True)
    Mailbox.objects.filter(security="none").update(use_ssl=False)


class Migration(migrations.Migration):
    dependencies = [
        ("mail", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="mailbox",
            name="security",
            field=models.CharField(
                choices=[
                    ("tls", "TLS from the start (IMAPS, POP3S)"),
                    ("starttls", "STARTTLS (a plain connection upgraded to TLS before login)"),
                    ("none", "None: plain text, insecure"),
                ],
                default="tls",
                help_text="TLS and STARTTLS check the server's certificate and host name "
                "before the password is sent. None sends the password and every message "
                "unencrypted.",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="mailbox",
            name="ca_file",
            field=models.CharField(
                blank=True,
                help_text="Optional absolute path of a PEM file: the certificate authority "
                "(a company CA, or a self-signed server's own certificate) to trust instead "
                "of the system's. It must be readable on every machine that runs the worker.",
                max_length=500,
                verbose_name="CA file",
            ),
        ),
        migrations.RunPython(security_from_use_ssl, use_ssl_from_security),
        migrations.RemoveField(
            model_name="mailbox",
            name="use_ssl",
        ),
        migrations.AddConstraint(
            model_name="mailbox",
            constraint=models.CheckConstraint(
                condition=models.Q(("security__in", ["tls", "starttls", "none"])),
                name="mailbox_security",
            ),
        ),
    ]
