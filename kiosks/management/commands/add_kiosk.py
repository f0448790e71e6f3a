from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from agencies.models import Agency
from kiosks.services import kiosk_register
from kiosks.views_staff import enrolment_url
from standards.models import Service


class Command(BaseCommand):
    help = "Register a kiosk (a counter tablet) and print its one-time enrolment URL on SITE_URL."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--agency", required=True, help="agency code")
        parser.add_argument("--service", help="service code: fix the kiosk to this one service")

    def handle(self, *args, name, agency, service, **options):
        agency_obj = Agency.objects.filter(code=agency).first()
        if agency_obj is None:
            raise CommandError(_("No agency has the code “%(code)s”.") % {"code": agency})
        service_obj = None
        if service:
            service_obj = Service.objects.filter(code=service).first()
            if service_obj is None:
                raise CommandError(_("No service has the code “%(code)s”.") % {"code": service})
        try:
            kiosk, code = kiosk_register(name=name, agency=agency_obj, service=service_obj, actor=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(_("Registered kiosk “%(name)s” (number %(pk)d).") % {"name": kiosk.name, "pk": kiosk.pk})
        self.stdout.write(_("Enrolment code: %(code)s") % {"code": code})
        self.stdout.write(enrolment_url(code))
