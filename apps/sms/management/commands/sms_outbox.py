import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.sms.errors import InvalidPhoneNumber
from apps.sms.models import SmsOutbox
from apps.sms.phones import normalize_phone, phone_hash


class Command(BaseCommand):
    help = (
        "查看短信发件箱（运维工具）：每行一条 JSON，最新的在前。"
        "注意：输出含解密后的手机号码和短信内容（个人信息），仅限服务器上的运维人员使用，不要转发或留存输出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--status", choices=SmsOutbox.Status.values, help="只看某一状态")
        parser.add_argument("--limit", type=int, default=50, help="最多显示多少条（默认 50）")
        parser.add_argument("--to", help="只看发给这个手机号码的短信")

    def handle(self, *args, status=None, limit=50, to=None, **options):
        if limit < 1:
            raise CommandError("--limit 必须是正整数。")
        rows = SmsOutbox.objects.order_by("-created_at", "-pk")
        if status:
            rows = rows.filter(status=status)
        if to is not None:
            try:
                rows = rows.filter(phone_hash=phone_hash(normalize_phone(to)))
            except InvalidPhoneNumber as exc:
                raise CommandError(exc.message) from None
        for row in rows[:limit]:
            self.stdout.write(json.dumps(_as_dict(row), ensure_ascii=False))


def _as_dict(row: SmsOutbox) -> dict:
    def when(value):
        return timezone.localtime(value).isoformat() if value else None

    return {
        "id": row.pk,
        "to": row.to_phone,
        "template": row.template_code,
        "text": row.text,
        "status": row.status,
        "attempts": row.attempts,
        "created": when(row.created_at),
        "sent": when(row.sent_at),
        "next_attempt": when(row.next_attempt_at),
        "related": row.related,
        "provider_message_id": row.provider_message_id,
        "last_error": row.last_error,
    }
