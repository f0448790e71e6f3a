import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.services import generate_password, user_create
from agencies.models import Agency


class Command(BaseCommand):
    help = "Create a staff account. Without --password-stdin a random password is printed once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--agency", help="agency code; required for the operator role")
        parser.add_argument("--email", default="")
        parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    def handle(self, *args, username, role, agency, email, password_stdin, **options):
        agency_obj = None
        if agency:
            agency_obj = Agency.objects.filter(code=agency).first()
            if agency_obj is None:
                raise CommandError(_("No agency has the code “%(code)s”.") % {"code": agency})
        if role == Role.OPERATOR and agency_obj is None:
            raise CommandError(_("The operator role needs --agency CODE."))
        if role != Role.OPERATOR and agency_obj is not None:
            raise CommandError(_("Only the operator role takes --agency."))
        password = sys.stdin.readline().rstrip("\r\n") if password_stdin else generate_password()
        try:
            user = user_create(username=username, role=role, agency=agency_obj, email=email, password=password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            _("Created %(role)s account “%(username)s”.") % {"role": user.get_role_display(), "username": user.username}
        )
        if not password_stdin:
            self.stdout.write(_("Password: %(password)s") % {"password": password})
