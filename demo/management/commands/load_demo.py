import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import user_create
from agencies.models import Agency, RegencyIdentity, ServicePledge
from agencies.services import regency_identity_update
from demo.evaluations import evaluations_load
from demo.responses import DEFAULT_TOTAL, responses_load
from standards.models import Service
from surveys.models import Response

DATA = Path(__file__).resolve().parent.parent.parent / "data"
DEMO_PASSWORD = "Demo-SiPutri-2026"  # noqa: S105 -- printed on purpose: demo only
# username, role, agency, first and last name, NIP, position (the evaluator signs letters)
DEMO_ACCOUNTS = [
    ("admin", Role.SUPER_ADMIN, None, "Super", "Admin", "", "Pengelola SI-PUTRI"),
    (
        "evaluator",
        Role.EVALUATOR,
        None,
        "Rina",
        "Marlina, S.STP., M.Si.",
        "198506122004122001",
        "Kepala Bagian Organisasi Sekretariat Daerah",
    ),
    ("pimpinan", Role.LEADER, None, "Bupati", "OKI", "", "Bupati Ogan Komering Ilir"),
    (
        "operator.dukcapil",
        Role.OPERATOR,
        "DISDUKCAPIL",
        "Dewi",
        "Lestari",
        "199003152015032002",
        "Pengadministrasi Kependudukan",
    ),
    ("operator.dpmptsp", Role.OPERATOR, "DPMPTSP", "Yoga", "Pratama", "199207082019031005", "Analis Perizinan"),
]
REGENCY = {
    "name": "Kabupaten Ogan Komering Ilir",
    "address": "Jalan Letnan Mukhtar Saleh No. 1, Kayuagung, Ogan Komering Ilir, Sumatera Selatan 30611",
    "place": "Kayuagung",
    "phone": "(0712) 321001",
    "email": "organisasi@okikab.go.id",
    "website": "https://www.okikab.go.id",
    "evaluating_office": "Bagian Organisasi Sekretariat Daerah",
    "survey_regulation": "Peraturan Bupati Ogan Komering Ilir Nomor 91 Tahun 2021",
}
PLEDGE = (
    "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang "
    "telah ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai "
    "peraturan perundang-undangan yang berlaku."
)


class Command(BaseCommand):
    help = (
        "Load the OKI demo data once (catalog, pledges, demo accounts, a year of survey responses) "
        "and print the accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--responses",
            type=int,
            default=DEFAULT_TOTAL,
            help="How many survey responses to spread over the last 12 months when there are none yet.",
        )
        parser.add_argument(
            "--demo-instance",
            action="store_true",
            help=(
                "Load the demo although DEBUG is off: this server is a public demonstration. Every demo "
                "account then gets a new random password, printed once."
            ),
        )

    def handle(self, *args, **options):
        # The published demo password must never open a production server: without DEBUG, demo
        # data needs an explicit word, and then its accounts get passwords nobody has seen.
        if not settings.DEBUG and not options["demo_instance"]:
            raise CommandError(
                _(
                    "DEBUG is off, so this looks like a production server; no demo data was loaded. "
                    "On a public demonstration server run: manage.py load_demo --demo-instance "
                    "(every demo account then gets a new random password, printed once)."
                )
            )
        passwords = (
            {username: secrets.token_urlsafe(12) for username, *_rest in DEMO_ACCOUNTS}
            if options["demo_instance"]
            else dict.fromkeys((username for username, *_rest in DEMO_ACCOUNTS), DEMO_PASSWORD)
        )
        if not Service.objects.exists():
            call_command("import_services", str(DATA / "katalog_oki.csv"), stdout=self.stdout, stderr=self.stderr)
        with transaction.atomic():
            for code in ("DISDUKCAPIL", "DPMPTSP", "RSUD-KAYUAGUNG"):
                agency = Agency.objects.filter(code=code).first()
                if agency and not ServicePledge.objects.filter(agency=agency).exists():
                    ServicePledge.objects.create(
                        agency=agency,
                        text=PLEDGE,
                        signed_by=f"Kepala {agency.name}",
                        adopted_on=timezone.localdate() - datetime.timedelta(days=120),
                    )
                    # These agencies reviewed their standards two months ago; the others never did.
                    agency.services.filter(reviewed_on__isnull=True).update(
                        reviewed_on=timezone.localdate() - datetime.timedelta(days=60)
                    )
            for username, role, agency_code, first, last, nip, position in DEMO_ACCOUNTS:
                existing = User.objects.filter(username=username).first()
                if existing is not None:
                    if options["demo_instance"]:
                        existing.set_password(passwords[username])
                        existing.save(update_fields=["password"])
                    continue
                agency = Agency.objects.get(code=agency_code) if agency_code else None
                user_create(
                    username=username,
                    role=role,
                    agency=agency,
                    password=passwords[username],
                    first_name=first,
                    last_name=last,
                    email=f"{username}@siputri.invalid",
                    nip=nip,
                    position=position,
                )
            if not RegencyIdentity.objects.exists():
                admin = User.objects.get(username="admin")
                with (DATA / "logo_demo.svg").open("rb") as logo:
                    regency_identity_update(actor=admin, data=REGENCY, logo=File(logo, name="logo_demo.svg"))
        if options["responses"] > 0 and not Response.objects.exists():
            loaded = responses_load(total=options["responses"])
            self.stdout.write(_("Loaded %(count)d demo responses over 12 months.") % {"count": loaded})
        made = evaluations_load()
        if made:
            self.stdout.write(_("Issued %(count)d demo recommendations in different stages.") % {"count": made})
        if options["demo_instance"]:
            self.stdout.write(_("Demo accounts, with new passwords shown only this once:"))
        else:
            self.stdout.write(_("Demo accounts (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        for username, role, agency_code, *_names in DEMO_ACCOUNTS:
            where = f" — {agency_code}" if agency_code else ""
            password = f"  {passwords[username]}" if options["demo_instance"] else ""
            self.stdout.write(f"  {username:<20} {Role(role).label}{where}{password}")
