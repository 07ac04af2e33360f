"""A long-lived Jalin process for the cross-process cache test: reads commands on stdin,
answers one line each.

get <path>        the status code of a GET of <path> (through Django's test client)
unpublish <pk>    Alice unpublishes the agreement through the update service
"""

import sys

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from jalin.accounts.models import User  # noqa: E402
from jalin.agreements import services  # noqa: E402
from jalin.agreements.models import Agreement  # noqa: E402

setup_test_environment()  # the test client's host, no real e-mail


def unpublish(pk: int) -> None:
    agreement = Agreement.objects.get(pk=pk)
    fields = services._current_fields(agreement) | {"is_public": False}
    services.agreement_update(
        actor=User.objects.get(username="alice"),
        agreement=agreement,
        fields=fields,
        parties=services._current_parties(agreement),
        supporting_agencies=list(agreement.supporting_agencies.all()),
        affairs=list(agreement.affairs.all()),
    )


client = Client()
print("ready", flush=True)
for line in sys.stdin:
    command, argument = line.split()
    if command == "get":
        print(client.get(argument).status_code, flush=True)
    elif command == "unpublish":
        unpublish(int(argument))
        print("done", flush=True)
