from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from devtools.demo.campaign import campaign_state
from phases.models import Campaign
from schools.roles import ROLES


class Command(BaseCommand):
    help = (
        "Bring the demo campaign to a plausible state half-way through (visits, plans, evidence, "
        "ledgers, tasks, meetings, a delivery), written through the campaign's services by the demo "
        "users; run after demo_data and demo_users. Does nothing when plans already exist."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2014, help="random seed")

    def handle(self, *args, seed, verbosity, **options):
        campaign = Campaign.objects.filter(is_current=True, is_demo=True).first()
        if campaign is None:
            raise CommandError(_("没有演示用的当前创建工作：请先运行 demo_data。"))
        users = {
            user.username: user
            for user in get_user_model().objects.filter(username__in=[r.key for r in ROLES])
        }
        missing = [role.key for role in ROLES if role.key not in users]
        if missing:
            raise CommandError(
                _("缺少演示用户 %(users)s：请先运行 demo_users。") % {"users": "、".join(missing)}
            )
        with transaction.atomic():
            counts = campaign_state(campaign, users, seed)
        if verbosity >= 1:
            if counts is None:
                self.stdout.write(_("演示创建工作已有整改方案，未作改动。"))
            else:
                self.stdout.write(
                    _(
                        "演示创建工作：核查 %(visits)s 所（已签字 %(signed)s 所），整改方案 %(planned)s 项，"
                        "整改中 %(started)s 项，自报完成 %(claimed)s 项，佐证采纳 %(accepted)s 份、待审 %(pending)s 份，"
                        "台账齐全 %(ledgers)s 所。"
                    )
                    % {
                        key: counts.get(key, 0)
                        for key in (
                            "visits",
                            "signed",
                            "planned",
                            "started",
                            "claimed",
                            "accepted",
                            "pending",
                            "ledgers",
                        )
                    }
                )
