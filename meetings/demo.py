"""Demo data: KSAU's register (imported from a bundled CSV, as a secretary would), the seed meeting
(KSAU 2021-11-22, §§ 343–344) and meetings dated relative to today: three made from an agenda (in
draft, under justering, posted), one next week with its kallelse ready to send, and one that uses the
whole decision model (``_decisions_meeting``).

Used by ``manage.py load_demo``. Every object is found by a natural key before it is created, so a
second run changes nothing.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from . import models as m
from .export.document import load_meeting
from .register_import import read_rows, role_of
from .services import agenda as agenda_service
from .services import anslag as anslag_service
from .services import drafting
from .services import expediering as expediering_service
from .services import justering as justering_service
from .services import papers as paper_service
from .services import register as register_service
from .uploads import check_upload

DEMO_PASSWORD = "demo-protokoll"

PARTIES = [
    ("Moderaterna", "M"),
    ("Kristdemokraterna", "KD"),
    ("Sverigedemokraterna", "SD"),
    ("Socialdemokraterna", "S"),
    ("Liberalerna", "L"),
    ("Centerpartiet", "C"),
    ("Vänsterpartiet", "V"),
    ("Miljöpartiet de gröna", "MP"),
]

# KSAU's members and ersättare, as the valnämnd's list would give them (name, party, role, from, to).
KSAU_REGISTER = Path(__file__).resolve().parent / "demo_data" / "ksau-register.csv"


def ksau_members() -> list[tuple[str, str, str]]:
    """(name, party, role) of KSAU's seats, in the list's (and the seed's) order."""
    return [(row.name, row.party, role_of(row.role)) for row in read_rows(KSAU_REGISTER.read_bytes())]


OFFICIALS = [
    ("Fredrik Geijer", "Kommundirektör", "Kommunledningsförvaltningen"),
    ("Eva-Lotta Kittel", "Kommunsekreterare", "Kommunledningsförvaltningen"),
    ("Johan Lilja", "Generalsekreterare", "ICLD"),
    ("Ana Maria Vargas Falla", "Forskningschef", "ICLD"),
    ("Maria Ekholm", "Ekonomichef", "Kommunledningsförvaltningen"),
]

# username -> (person, is_superuser)
USERS = {
    "sekreterare": ("Eva-Lotta Kittel", False),
    "ordforande": ("Mikael Rubin", False),
    "justerare1": ("Erik Lundström", False),
    "justerare2": ("Lennart Höckert", False),
    "admin": (None, True),
}

SEED_344_TITLE = "Information ICLD (Internationellt Centrum för Lokal Demokrati)"
SEED_344_CLAUSE = (
    "att uppdra till kommundirektören att, som första kommun i klimatnätverket, gå vidare in i "
    "förberedelsefasen i projektsamarbetet."
)
SEED_344_SUMMARY = (
    "Johan Lilja, generalsekreterare i ICLD informerar.\n\n"
    "Nätverk för kommunala partnerskap är en ny samarbetsform där några kommuner får utökat stöd "
    "från ICLD för att bedriva resultatinriktade internationella projekt. Kommunerna startar "
    "samtidigt med sina förberedelser och knyts samman i ett nätverk där jobbar parallellt över fyra "
    "år med sina projekt ihop med varsin partnerkommun.\n\n"
    "Samarbetet inleds med en förberedelsefas där projekt ska utformas och planeras."
)


class Demo:
    """Loads the demo data; ``created`` counts what a run created, so idempotency is testable."""

    def __init__(self, today: datetime.date | None = None, with_users: bool = True) -> None:
        self.today = today or timezone.localdate()
        self.with_users = with_users
        self.created = 0
        self.parties: dict[str, m.Party] = {}
        self.persons: dict[str, m.Person] = {}

    def _get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created += int(created)
        return obj, created

    @transaction.atomic
    def load(self) -> None:
        for name, abbr in PARTIES:
            self.parties[abbr], _ = self._get_or_create(m.Party, abbreviation=abbr, defaults={"name": name})
        self.organ, _ = self._get_or_create(
            m.Organ,
            short_name="KSAU",
            defaults={
                "name": "Kommunstyrelsens arbetsutskott",
                "diarium_prefix": "KS",
                "storage_location": "Kommunledningsförvaltningen",
                "justerare_count": 2,
            },
        )
        self._import_register()
        for name, title, organisation in OFFICIALS:
            self.persons[name], _ = self._get_or_create(
                m.Person, name=name, defaults={"title": title, "organisation": organisation}
            )
        if self.with_users:
            self._users()
        self._seed_meeting()
        self._relative_meetings()
        self._next_meeting()
        self._decisions_meeting()

    def _import_register(self) -> None:
        """KSAU's register through the import a secretary uses (it skips what is there already)."""
        rows = [row.raw() for row in read_rows(KSAU_REGISTER.read_bytes())]
        result = register_service.import_members(self.organ, rows, None, None)
        self.created += result.persons_created + result.memberships_created
        for name, _abbr, _role in ksau_members():
            self.persons[name] = m.Person.objects.get(name=name)

    def _users(self) -> None:
        User = get_user_model()
        for username, (person_name, superuser) in USERS.items():
            user, created = self._get_or_create(
                User,
                username=username,
                defaults={"is_staff": superuser, "is_superuser": superuser},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            if person_name and self.persons[person_name].user_id != user.pk:
                self.persons[person_name].user = user
                self.persons[person_name].save(update_fields=["user"])
        secretary = User.objects.get(username="sekreterare")
        if not self.organ.secretaries.filter(pk=secretary.pk).exists():
            self.organ.secretaries.add(secretary)

    def _attend(self, meeting: m.Meeting, name: str, kind: str, position: int, **extra) -> m.Attendance:
        person = self.persons[name]
        membership = m.Membership.objects.filter(person=person, organ=meeting.organ).first()
        if membership and "party" not in extra and kind != m.AttendanceKind.OVRIG:
            extra["party"] = membership.party
        paragraphs = extra.pop("paragraphs", [])
        attendance = m.Attendance.objects.create(meeting=meeting, person=person, kind=kind, position=position, **extra)
        if paragraphs:
            attendance.paragraphs.set(paragraphs)
        return attendance

    def _meeting(self, diarienummer: str, **fields) -> tuple[m.Meeting, bool]:
        return self._get_or_create(m.Meeting, organ=self.organ, diarienummer=diarienummer, defaults=fields)

    def _seed_meeting(self) -> None:
        p = self.persons
        meeting, created = self._meeting(
            "KS 2021/647",
            date=datetime.date(2021, 11, 22),
            start_time=datetime.time(13, 30),
            end_time=datetime.time(14, 15),
            place="Sessionssalen",
            secretary=p["Eva-Lotta Kittel"],
            chair=p["Mikael Rubin"],
            justerare_1=p["Erik Lundström"],
            justerare_2=p["Lennart Höckert"],
        )
        if not created:
            return
        p343 = m.Paragraph.objects.create(
            meeting=meeting,
            number=343,
            position=1,
            title="Budgetuppföljning oktober 2021",
            dnr="KS 2021/402",
            summary=(
                "Ekonomichefen redovisar kommunens ekonomiska utfall till och med oktober och prognosen "
                "för helåret. Prognosen visar ett överskott om 12,4 miljoner kronor."
            ),
            basis="Tjänsteskrivelse 2021-11-12, Budgetuppföljning oktober 2021",
            proposal="Kommunstyrelsens arbetsutskott beslutar att lägga informationen till handlingarna.",
            recipients="Ekonomienheten",
        )
        m.DecisionClause.objects.create(paragraph=p343, position=1, text="att lägga informationen till handlingarna.")
        p344 = m.Paragraph.objects.create(
            meeting=meeting,
            number=344,
            position=2,
            title=SEED_344_TITLE,
            dnr="KS 2021/868",
            summary=SEED_344_SUMMARY,
        )
        m.DecisionClause.objects.create(paragraph=p344, position=1, text=SEED_344_CLAUSE)
        position = 0
        for name, _abbr, role in ksau_members()[:5]:
            position += 1
            extra = {"role": "Ordförande"} if role == m.MembershipRole.ORDFORANDE else {}
            self._attend(meeting, name, m.AttendanceKind.BESLUTANDE, position, **extra)
        for name, title, organisation in OFFICIALS[:4]:
            position += 1
            self._attend(
                meeting,
                name,
                m.AttendanceKind.OVRIG,
                position,
                title=title,
                organisation=organisation,
                paragraphs=[p344] if organisation == "ICLD" else [],
            )
        self._advance(meeting, m.MeetingStatus.ARKIVERAT, justerat_on=datetime.date(2021, 11, 29))

    def _relative_meetings(self) -> None:
        year = self.today.year
        specs = [
            # (diarienummer, days before today, status, topic)
            (f"KS {year}/903", 20, m.MeetingStatus.ANSLAGET, "Skolskjuts"),
            (f"KS {year}/902", 7, m.MeetingStatus.UNDER_JUSTERING, "Gång- och cykelväg"),
            (f"KS {year}/901", 1, m.MeetingStatus.UTKAST, "Föreningsbidrag"),
        ]
        for dnr, days, status, topic in specs:
            date = self.today - datetime.timedelta(days=days)
            meeting, created = self._meeting(
                dnr,
                date=date,
                start_time=datetime.time(9, 0),
                end_time=datetime.time(11, 30),
                place="Sessionssalen",
                secretary=self.persons["Eva-Lotta Kittel"],
                chair=self.persons["Mikael Rubin"],
                justerare_1=self.persons["Erik Lundström"],
                justerare_2=self.persons["Lennart Höckert"],
                justering_place="Kommunledningsförvaltningen",
                justering_date=date + datetime.timedelta(days=6),
            )
            if created:
                self._fill_meeting(meeting, topic)
                self._advance(meeting, status, justerat_on=date + datetime.timedelta(days=6))

    def _advance(self, meeting: m.Meeting, status: str, justerat_on: datetime.date | None = None) -> None:
        """Take a filled-in draft through the real workflow to ``status``: sent to justering, signed
        by the chair and both justerare (dated ``justerat_on``), and posted the day after."""
        if status == m.MeetingStatus.UTKAST:
            return
        justering = justering_service.send_to_justering(meeting, None)
        if status == m.MeetingStatus.UNDER_JUSTERING:
            return
        for signature in list(justering.signatures.all()):
            justering_service.sign(justering, signature.person)
        # The workflow stamps "now"; the demo tells a story in the past, so date it back.
        when = timezone.make_aware(datetime.datetime.combine(justerat_on, datetime.time(15, 0)))
        m.Justering.objects.filter(pk=justering.pk).update(completed_at=when, sent_at=when)
        m.Signature.objects.filter(justering=justering).update(signed_at=when)
        meeting.refresh_from_db()
        meeting.justerat_at = when
        meeting.save(update_fields=["justerat_at"])
        justering.refresh_from_db()
        if status in (m.MeetingStatus.ANSLAGET, m.MeetingStatus.ARKIVERAT):
            anslag_service.post_anslag(justering, None, justerat_on + datetime.timedelta(days=1), backdate=True)
        if status == m.MeetingStatus.ARKIVERAT:
            anslag_service.archive_expired(self.today)

    def _handling(self, paper: m.Paper, name: str, lines: list[str], public: bool = True) -> m.File:
        upload = SimpleUploadedFile(f"{name}.pdf", text_pdf([name, "", *lines]), content_type="application/pdf")
        checked = check_upload(upload)
        return paper_service.add_handling(paper, upload=upload, checked=checked, name=name, public=public, user=None)

    def _paper(self, reference: str, name: str, **fields) -> m.Paper:
        paper, _ = self._get_or_create(
            m.Paper, organ=self.organ, reference=reference, defaults={"name": name, **fields}
        )
        return paper

    def _fill_meeting(self, meeting: m.Meeting, topic: str) -> None:
        """A protokoll made from its agenda: "Val av justerare", an ärende with yrkanden, a roll call
        and a reservation, and a report with a guest and jäv; attendance from the register, with
        one member absent and an ersättare serving for him."""
        p = self.persons
        year = meeting.date.year
        case = self._paper(
            f"KS {year}/{410 + meeting.pk % 50}",
            topic,
            case_officer=p["Fredrik Geijer"],
            description=f"Förvaltningen har utrett frågan om {topic.lower()} och lämnar förslag till beslut.",
            proposal="att föreslå kommunstyrelsen att anta förvaltningens förslag.",
        )
        self._handling(case, "Tjänsteskrivelse", [f"Förvaltningens utredning om {topic.lower()}."])
        report = self._paper(
            f"KS {year}/{120 + meeting.pk % 50}",
            "Ekonomisk rapport",
            case_officer=p["Maria Ekholm"],
            description="Ekonomichefen redovisar utfallet per månad och prognosen för helåret.",
            proposal="att lägga informationen till handlingarna.",
        )
        agenda_service.add_free_item(
            meeting, "Val av justerare", "att utse två justerare att jämte ordföranden justera dagens protokoll."
        )
        agenda_service.add_paper_item(meeting, case)
        agenda_service.add_paper_item(meeting, report)
        first, second, third = agenda_service.create_protokoll_from_agenda(load_meeting(meeting.pk))
        attendance = {(a.person.name, a.kind): a for a in meeting.attendances.select_related("person")}
        for name in ("Henrik Silfverstolpe", "Sofia Wikström"):
            kind = m.AttendanceKind.BESLUTANDE if name.startswith("Henrik") else m.AttendanceKind.ERSATTARE
            attendance[(name, kind)].absent = True
            attendance[(name, kind)].save(update_fields=["absent"])
        attendance[("Anna Berglund", m.AttendanceKind.ERSATTARE)].delete()
        position = max(a.position for a in attendance.values())
        self._attend(
            meeting,
            "Anna Berglund",
            m.AttendanceKind.TJANSTGORANDE_ERSATTARE,
            position + 1,
            replaces=p["Henrik Silfverstolpe"],
        )
        self._attend(
            meeting,
            "Eva-Lotta Kittel",
            m.AttendanceKind.OVRIG,
            position + 2,
            title="Kommunsekreterare",
            organisation="Kommunledningsförvaltningen",
        )
        m.DecisionClause.objects.create(
            paragraph=first,
            position=1,
            text="att utse Erik Lundström (KD) och Lennart Höckert (S) att justera protokollet.",
        )
        second.proposition_order = (
            "Ordföranden ställer proposition på förvaltningens förslag mot Lennart Höckerts "
            "återremissyrkande och finner att arbetsutskottet beslutar enligt förvaltningens förslag. "
            "Omröstning begärs och verkställs."
        )
        second.recipients = "Kommunstyrelsen\nSamhällsbyggnadsförvaltningen"
        second.save(update_fields=["proposition_order", "recipients"])
        m.DecisionClause.objects.create(
            paragraph=second, position=1, text="att föreslå kommunstyrelsen att anta förvaltningens förslag,"
        )
        m.DecisionClause.objects.create(
            paragraph=second, position=2, text="att uppdra till förvaltningen att återrapportera inom sex månader."
        )
        m.Motion.objects.create(
            paragraph=second,
            position=1,
            person=p["Mikael Rubin"],
            kind=m.MotionKind.BIFALL,
            text="Bifall till förvaltningens förslag.",
        )
        m.Motion.objects.create(
            paragraph=second,
            position=2,
            person=p["Lennart Höckert"],
            kind=m.MotionKind.ATERREMISS,
            text="Ärendet återremitteras för att utreda kostnaderna närmare.",
        )
        vote = m.Vote.objects.create(
            paragraph=second,
            position=1,
            ja_means="förvaltningens förslag",
            nej_means="återremiss",
        )
        choices = {
            "Mikael Rubin": m.VoteChoice.JA,
            "Erik Lundström": m.VoteChoice.JA,
            "Helmuth Petersén": m.VoteChoice.AVSTAR,
            "Lennart Höckert": m.VoteChoice.NEJ,
            "Anna Berglund": m.VoteChoice.NEJ,
        }
        voters = meeting.voters_for(second)
        for i, attendance in enumerate(voters, start=1):
            m.VoteCast.objects.create(
                vote=vote,
                person=attendance.person,
                party=attendance.party,
                choice=choices.get(attendance.person.name, m.VoteChoice.JA),
                position=i,
            )
        reservation = m.Reservation.objects.create(
            paragraph=second,
            position=1,
            motivation="Vi reserverar oss till förmån för vårt återremissyrkande.",
        )
        reservation.persons.set([p["Lennart Höckert"], p["Anna Berglund"]])
        m.ProtocolNote.objects.create(
            paragraph=second,
            position=1,
            person=p["Helmuth Petersén"],
            text="Sverigedemokraterna vill se en redovisning av driftskostnaderna.",
        )
        third.recipients = "Ekonomienheten"
        third.save(update_fields=["recipients"])
        m.DecisionClause.objects.create(paragraph=third, position=1, text="att lägga informationen till handlingarna.")
        m.Recusal.objects.create(paragraph=third, person=p["Erik Lundström"], substitute=p["Karin Nyström"])
        self._attend(
            meeting,
            "Maria Ekholm",
            m.AttendanceKind.OVRIG,
            position + 3,
            title="Ekonomichef",
            organisation="Kommunledningsförvaltningen",
            paragraphs=[third],
        )

    def _next_meeting(self) -> None:
        """Next week's meeting: created as a secretary creates one (attendance from the register),
        its agenda from the organ's standing points and three ärenden, two with handlingar (one of
        them not public), and its kallelse ready to download and send."""
        date = self.today + datetime.timedelta(days=7)
        if m.Meeting.objects.filter(organ=self.organ, diarienummer=f"KS {date.year}/904").exists():
            return
        meeting = drafting.create_meeting(
            m.Meeting(
                organ=self.organ,
                date=date,
                start_time=datetime.time(13, 30),
                place="Sessionssalen",
                diarienummer=f"KS {date.year}/904",
                justering_place="Kommunledningsförvaltningen",
            ),
            self.persons["Eva-Lotta Kittel"],
        )
        self.created += 1
        p = self.persons
        plan = self._paper(
            f"KS {date.year}/512",
            "Detaljplan för Norra hamnen, samråd",
            case_officer=p["Fredrik Geijer"],
            description="Planförslaget möjliggör cirka 300 bostäder och en ny park vid Norra hamnen.",
            proposal="att godkänna planförslaget för samråd.",
        )
        self._handling(plan, "Tjänsteskrivelse", ["Planförslaget för Norra hamnen och samrådet."])
        self._handling(plan, "Plankarta", ["Plankarta med bestämmelser, skala 1:1000."])
        purchase = self._paper(
            f"KS {date.year}/533",
            "Förvärv av fastigheten Hamnen 1:12",
            case_officer=p["Maria Ekholm"],
            description="Kommunen har erbjudits att köpa fastigheten Hamnen 1:12 för hamnens utbyggnad.",
            proposal="att föreslå kommunstyrelsen att förvärva fastigheten Hamnen 1:12.",
        )
        self._handling(purchase, "Tjänsteskrivelse", ["Förvärv av fastigheten Hamnen 1:12."])
        self._handling(
            purchase,
            "Värderingsutlåtande",
            ["Affärsuppgifter om fastighetens värde (sekretess, OSL 19 kap. 1 §)."],
            public=False,
        )
        budget = self._paper(
            f"KS {date.year}/618",
            "Budgetuppföljning",
            case_officer=p["Maria Ekholm"],
            proposal="att lägga informationen till handlingarna.",
        )
        agenda_service.add_standing_items(meeting, register_service.standing_items_of(self.organ))
        for paper in (plan, purchase, budget):
            agenda_service.add_paper_item(meeting, paper)

    def _decisions_meeting(self) -> None:
        """A meeting that uses the whole decision model, justerat, posted and expedierat: a late
        arrival with a deputy serving until then, an ajournering, an återremiss decided by
        acclamation, a kontraproposition, a 2–2 vote decided by the chair's casting vote, a proposal to
        fullmäktige that cannot be appealed, jäv with a substitute, and a förvaltningsbesvär §."""
        p = self.persons
        date = self.today - datetime.timedelta(days=12)
        meeting, created = self._meeting(
            f"KS {self.today.year}/905",
            date=date,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(12, 0),
            place="Sessionssalen",
            secretary=p["Eva-Lotta Kittel"],
            chair=p["Mikael Rubin"],
            justerare_1=p["Erik Lundström"],
            justerare_2=p["Lennart Höckert"],
            justering_place="Kommunledningsförvaltningen",
            justering_date=date + datetime.timedelta(days=4),
        )
        if not created:
            return
        first = m.Paragraph.create_next(meeting, title="Val av justerare")
        m.DecisionClause.objects.create(
            paragraph=first,
            position=1,
            text="att utse Erik Lundström (KD) och Lennart Höckert (S) att justera protokollet.",
        )
        motion = m.Paragraph.create_next(
            meeting,
            title="Motion om fossilfria tjänstebilar",
            dnr=f"KS {date.year}/233",
            summary="Lennart Höckert (S) föreslår i en motion att kommunens tjänstebilar ska vara fossilfria 2028.",
            proposal="att föreslå kommunstyrelsen att föreslå kommunfullmäktige att avslå motionen.",
            appeal_route=m.AppealRoute.EJ_OVERKLAGBART,
            not_appealable_reason=m.NotAppealableReason.RENT_FORBEREDANDE,
            recipients="Kommunstyrelsen",
        )
        m.DecisionClause.objects.create(
            paragraph=motion,
            position=1,
            text="att föreslå kommunstyrelsen att föreslå kommunfullmäktige att avslå motionen.",
        )
        sale = m.Paragraph.create_next(
            meeting,
            title="Försäljning av fastigheten Kyrkbyn 1:23",
            dnr=f"KS {date.year}/310",
            summary="Fastigheten har varit till salu sedan våren. Ett bud om 2,4 miljoner kronor har kommit in.",
            recipients="Mark- och exploateringsenheten\nKöparen",
        )
        m.DecisionClause.objects.create(
            paragraph=sale, position=1, text="att sälja fastigheten Kyrkbyn 1:23 till budgivaren."
        )
        documents = m.Paragraph.create_next(
            meeting,
            title="Begäran om utlämnande av allmän handling",
            dnr=f"KS {date.year}/401",
            summary="En enskild har begärt att få ut en anbudshandling. Handlingen omfattas av sekretess.",
            appeal_route=m.AppealRoute.FORVALTNINGSBESVAR,
            appeal_body="Kammarrätten i Göteborg",
            appeal_law="6 kap. 7 § offentlighets- och sekretesslagen (2009:400)",
            recipients="Sökanden",
        )
        m.DecisionClause.objects.create(paragraph=documents, position=1, text="att avslå begäran.")
        self._decisions_attendance(meeting, first, motion, sale)
        self._decisions_of_the_motion(meeting, motion)
        m.Recusal.objects.create(paragraph=sale, person=p["Erik Lundström"], substitute=p["Karin Nyström"])
        m.Adjournment.objects.create(
            meeting=meeting, starts=datetime.time(10, 15), ends=datetime.time(10, 30), after_number=motion.number
        )
        addresses = {
            (sale.pk, "Mark- och exploateringsenheten"): "mex@exempel.se",
            (sale.pk, "Köparen"): "kopare@exempel.se",
            (documents.pk, "Sökanden"): "sokande@exempel.se",
        }
        expediering_service.save_addresses(meeting, addresses)
        self._advance(meeting, m.MeetingStatus.ANSLAGET, justerat_on=date + datetime.timedelta(days=4))
        # The demo tells of extracts that went out; load_demo sends its mail to an in-memory mailbox.
        expediering_service.send_extracts(meeting, None)

    def _decisions_attendance(self, meeting, first, motion, sale) -> None:
        """Henrik Silfverstolpe arrives at the motion; Anna Berglund serves for him until then."""
        p = self.persons
        position = 0
        for name, _abbr, role in ksau_members()[:5]:
            position += 1
            extra = {"role": "Ordförande"} if role == m.MembershipRole.ORDFORANDE else {}
            if name == "Henrik Silfverstolpe":
                extra.update(from_number=motion.number, arrived_at=datetime.time(9, 40))
            self._attend(meeting, name, m.AttendanceKind.BESLUTANDE, position, **extra)
        for name in ("Anna Berglund", "Karin Nyström", "Sofia Wikström"):
            position += 1
            self._attend(meeting, name, m.AttendanceKind.ERSATTARE, position)
        self._attend(
            meeting,
            "Anna Berglund",
            m.AttendanceKind.TJANSTGORANDE_ERSATTARE,
            position + 1,
            replaces=p["Henrik Silfverstolpe"],
            paragraphs=[first],
        )
        self._attend(
            meeting,
            "Eva-Lotta Kittel",
            m.AttendanceKind.OVRIG,
            position + 2,
            title="Kommunsekreterare",
            organisation="Kommunledningsförvaltningen",
        )
        self._attend(
            meeting,
            "Maria Ekholm",
            m.AttendanceKind.OVRIG,
            position + 3,
            title="Ekonomichef",
            organisation="Kommunledningsförvaltningen",
            paragraphs=[sale],
        )

    def _decisions_of_the_motion(self, meeting, motion) -> None:
        """Three proposals and an återremiss: the återremiss by acclamation, a kontraproposition,
        then a vote 2–2 with one abstaining, decided by the chair's casting vote (KL 5 kap. 56 §)."""
        p = self.persons
        motions = [
            ("Mikael Rubin", m.MotionKind.BIFALL, "Bifall till arbetsutskottets förslag."),
            ("Lennart Höckert", m.MotionKind.ANDRING, "Bifall till motionen."),
            ("Helmuth Petersén", m.MotionKind.ANDRING, "Motionen anses besvarad."),
            ("Henrik Silfverstolpe", m.MotionKind.ATERREMISS, "Återremiss för att utreda kostnaderna."),
        ]
        for position, (name, kind, text) in enumerate(motions, start=1):
            m.Motion.objects.create(paragraph=motion, position=position, person=p[name], kind=kind, text=text)
        K = m.PropositionKind
        steps = [
            (K.ATERREMISS, "", "Henrik Silfverstolpes (L) yrkande om återremiss"),
            (
                K.KONTRAPROPOSITION,
                "Lennart Höckerts (S) yrkande om bifall till motionen",
                "Helmuth Peterséns (SD) yrkande",
            ),
            (K.HUVUDFRAGA, "arbetsutskottets förslag", "Lennart Höckerts (S) yrkande om bifall till motionen"),
        ]
        propositions = [
            m.Proposition.objects.create(paragraph=motion, position=i, kind=kind, ja_label=ja, nej_label=nej)
            for i, (kind, ja, nej) in enumerate(steps, start=1)
        ]
        main = propositions[-1]
        vote = m.Vote.objects.create(
            paragraph=motion, proposition=main, position=1, ja_means=main.ja_label, nej_means=main.nej_label
        )
        choices = {
            "Mikael Rubin": m.VoteChoice.JA,
            "Erik Lundström": m.VoteChoice.JA,
            "Helmuth Petersén": m.VoteChoice.AVSTAR,
            "Lennart Höckert": m.VoteChoice.NEJ,
            "Henrik Silfverstolpe": m.VoteChoice.NEJ,
        }
        for i, attendance in enumerate(meeting.voters_for(motion), start=1):
            m.VoteCast.objects.create(
                vote=vote,
                person=attendance.person,
                party=attendance.party,
                choice=choices[attendance.person.name],
                position=i,
            )
        reservation = m.Reservation.objects.create(
            paragraph=motion, position=1, motivation="Till förmån för Lennart Höckerts yrkande om bifall till motionen."
        )
        reservation.persons.set([p["Lennart Höckert"], p["Henrik Silfverstolpe"]])


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer (Helvetica), small and made without a renderer: the demo's
    handlingar, and the tests' uploads."""

    def literal(text: str) -> bytes:
        raw = text.encode("cp1252", "replace")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    stream = b"BT /F1 11 Tf 16 TL 72 770 Td " + b" ".join(literal(line) + b" Tj T*" for line in lines) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
