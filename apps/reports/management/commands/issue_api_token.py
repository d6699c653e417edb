from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.reports.tokens import issue_api_token, revoke_api_tokens


class Command(BaseCommand):
    help = "为用户签发 JSON API 令牌（只显示一次）/ issue a JSON API token for a user (printed once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--revoke-existing",
            action="store_true",
            help="先吊销该用户已有的令牌 / revoke the user's existing tokens first",
        )

    def handle(self, *args, username, revoke_existing, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        if not user.is_active:
            raise CommandError(f"用户已停用：{username}")
        if revoke_existing:
            revoked = revoke_api_tokens(user=user)
            self.stderr.write(f"已吊销 {revoked} 个令牌。")
        self.stdout.write(issue_api_token(user=user))
