"""API tokens under their holder's rules: scope, API parts, jurisdiction, expiry.

Tokens made before this migration could write and call everything: they keep write scope and all parts, are
bound to their holder's jurisdiction, and expire 90 days after the migration (the default).
"""

import django.db.models.deletion
from django.db import migrations, models

import soegov.accounts.models


def bind_jurisdictions(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.select_related("user", "user__enterprise"):
        user = token.user
        token.jurisdiction_id = user.jurisdiction_id or (user.enterprise.jurisdiction_id if user.enterprise_id else None)
        token.save(update_fields=["jurisdiction"])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_admin_approval'),
        ('enterprises', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='apis',
            field=models.JSONField(blank=True, default=list, verbose_name='可调用的接口'),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(default=soegov.accounts.models.default_token_expiry, verbose_name='有效期至'),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='jurisdiction',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='enterprises.jurisdiction', verbose_name='所属辖区'),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='scope',
            field=models.CharField(choices=[('read', '只读'), ('write', '读写')], default='write', max_length=8, verbose_name='权限'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='scope',
            field=models.CharField(choices=[('read', '只读'), ('write', '读写')], default='read', max_length=8, verbose_name='权限'),
        ),
        migrations.RunPython(bind_jurisdictions, migrations.RunPython.noop, elidable=True),
    ]
