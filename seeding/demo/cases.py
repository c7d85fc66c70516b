"""Demo case selections in Guangdong, run through the real services: a duty-case campaign whose shortlist ballot
is decided and whose joint-meeting vote is open, and a demonstration-station campaign whose public online vote
is open now (its page: /cases/vote/<code>/). Runs once: with a campaign present it adds nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cases import services
from cases.models import Campaign, CampaignKind, RoundKind
from congress.models import Congress, Organisation, Role, User
from deputies.models import Mandate, MandateStatus
from liaison_stations.models import Station

DUTY_CASES = [
    # title, level, summary
    ("扎根田间地头，推动高标准农田建设", "provincial", "代表连续三年调研高标准农田建设，推动出台管护办法。"),
    ("\u201c代表信箱\u201d架起连心桥", "provincial", "代表设立信箱收集群众意见，两年办结群众诉求120余件。"),
    ("聚焦课后服务，推动延时托管全覆盖", "municipal", "代表提出的课后服务建议推动全市中小学实现延时托管全覆盖。"),
    ("老旧小区加装电梯的\u201c协商样本\u201d", "county", "代表牵头协商，化解加装电梯邻里分歧，形成可推广经验。"),
    ("让村民议事会议出实效", "township", "代表推动村民议事会规范化，解决村道硬化等民生实事。"),
    ("守护珠江水清岸绿", "provincial", "代表持续跟踪河涌治理，推动截污纳管工程提速。"),
]
STATION_CASES = ["五山街道人大代表中心联络站", "华工社区人大代表联络点", "石牌街道人大代表联络站", "天河区人大代表之家"]


def seed() -> None:
    province = Congress.objects.filter(region__code="44").first()
    staff = User.objects.filter(username="gd_staff").first()
    if province is None or staff is None or Campaign.objects.exists():
        return
    unit = Organisation.objects.filter(name="广州市教育局", kind="handling_unit").first()
    officer = User.objects.filter(memberships__role=Role.UNIT_OFFICER, memberships__organisation=unit).first()
    if unit is None or officer is None:
        return
    with transaction.atomic():
        Demo(province, staff, unit, officer).run()


class Demo:
    def __init__(self, province, staff, unit, officer):
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.province, self.staff, self.unit, self.officer = province, staff, unit, officer
        self.voters = list(User.objects.filter(username__in=["gd_staff", "supervisor"]).order_by("username"))
        self.committee = Organisation.objects.filter(congress=province, kind="special_committee").order_by("pk").first()

    def run(self) -> None:
        self.duty_campaign()
        self.station_campaign()

    def _campaign(self, kind, title):
        campaign = services.create_campaign(
            actor=self.staff, congress=self.province,
            fields={"kind": kind, "year": self.today.year, "title": title,
                    "description": "按照《代表工作优秀案例评选办法》，由各单位推荐，经多轮评选产生。",
                    "submissions_open": self.today - timedelta(days=30), "submissions_close": self.today},
            units=[(self.unit, 10)],
        )  # fmt: skip
        return services.announce(actor=self.staff, campaign_id=campaign.pk)

    def _round(self, campaign, kind, name, *, days_open, days_left, voters=(), criteria=(), **fields):
        return services.add_round(
            actor=self.staff, campaign_id=campaign.pk,
            fields={"kind": kind, "name": name, "opens_at": self.now - timedelta(days=days_open),
                    "closes_at": self.now + timedelta(days=days_left), **fields},
            voters=voters, criteria=criteria,
        )  # fmt: skip

    def duty_campaign(self) -> None:
        campaign = self._campaign(CampaignKind.DUTY, f"{self.today.year}年度代表履职优秀案例评选")
        cases = []
        for index, (title, level, summary) in enumerate(DUTY_CASES):
            # A case names deputies of its own level.
            mandates = list(Mandate.objects.filter(level=level, status=MandateStatus.ACTIVE).order_by("pk")[:6])
            chosen = [mandates[index % len(mandates)]] if mandates else []
            case = services.create_submission(
                actor=self.officer, campaign_id=campaign.pk, mandate_ids=[m.pk for m in chosen],
                fields={"title": title, "summary": summary, "level": level,
                        "narrative": summary + "该代表深入调研、持续跟踪，推动问题解决，群众满意度高。"},
            )  # fmt: skip
            if chosen:
                cases.append(services.submit(actor=self.officer, submission_id=case.pk))
        services.close_submissions(actor=self.staff, campaign_id=campaign.pk)
        shortlist = self._round(
            campaign, RoundKind.BALLOT, "机关各部门投票", days_open=3, days_left=1,
            voters=[(u, None) for u in self.voters], approvals_per_voter=4, advance=4,
        )  # fmt: skip
        services.open_round(actor=self.staff, round_id=shortlist.pk)
        ids = [case.pk for case in cases]
        for voter, chosen in zip(self.voters, (ids[:4], ids[:3] + ids[4:5]), strict=False):
            services.cast_ballot(actor=voter, round_id=shortlist.pk, submission_ids=chosen)
        shortlist = services.close_round(actor=self.staff, round_id=shortlist.pk)
        if shortlist.tie_slots:  # the fourth place is tied: staff decide it, on the record
            tied = list(shortlist.entries.filter(outcome="tied").order_by("submission_id"))
            services.break_tie(actor=self.staff, round_id=shortlist.pk, chosen_ids=[tied[0].submission_id],
                               reason="经主任会议研究，该案例履职成效更为突出。")  # fmt: skip
        services.decide_round(actor=self.staff, round_id=shortlist.pk)
        meeting = self._round(
            campaign, RoundKind.MEETING, "联席会议投票", days_open=1, days_left=5,
            voters=[(u, None) for u in self.voters], approvals_per_voter=2, advance=2,
        )  # fmt: skip
        services.open_round(actor=self.staff, round_id=meeting.pk)
        survivors = list(meeting.entries.order_by("submission_id").values_list("submission_id", flat=True))
        services.cast_ballot(actor=self.voters[-1], round_id=meeting.pk, submission_ids=survivors[:2])
        self._round(campaign, RoundKind.APPROVAL, "主任会议审定", days_open=-6, days_left=10)

    def station_campaign(self) -> None:
        campaign = self._campaign(CampaignKind.STATION, f"{self.today.year}年度示范代表家站点评选")
        stations = {s.name: s for s in Station.objects.filter(name__in=STATION_CASES)}
        for name in STATION_CASES:
            station = stations.get(name)
            if station is None:
                continue
            case = services.create_submission(
                actor=self.officer, campaign_id=campaign.pk,
                fields={"title": name, "station": station, "summary": f"{name}坚持每月接待选民，建立意见办理闭环。",
                        "narrative": f"{name}固定场所、制度上墙、活动经常、台账规范，群众意见办结率高。"},
            )  # fmt: skip
            services.submit(actor=self.officer, submission_id=case.pk)
        services.close_submissions(actor=self.staff, campaign_id=campaign.pk)
        if not campaign.submissions.exists():
            return
        judges = [(u, None) for u in self.voters]
        poll = self._round(
            campaign, RoundKind.WEIGHTED, "网络投票和专家评分", days_open=1, days_left=3, voters=judges, advance=3,
            public_vote=True, show_live_totals=True, criteria=[("阵地建设", 40), ("活动成效", 60)],
        )  # fmt: skip
        services.open_round(actor=self.staff, round_id=poll.pk)
        candidates = list(poll.entries.order_by("submission_id").values_list("submission_id", flat=True))
        for index in range(12):
            phone = services.phone_hash(f"1380013{index:04d}")
            services.public_vote(
                slug=campaign.slug, submission_id=candidates[index % len(candidates)], phone_hash=phone
            )
        criteria = list(poll.criteria.order_by("position"))
        services.score_case(actor=self.voters[0], round_id=poll.pk, submission_id=candidates[0],
                            points={criteria[0].pk: 36, criteria[1].pk: 52})  # fmt: skip
