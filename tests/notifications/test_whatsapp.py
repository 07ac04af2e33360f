"""WhatsApp: opt-in on the preferences page, template messages through the Cloud API backend
(against a stand-in HTTP server on 127.0.0.1 that the test starts), delivery status
recorded, failures retried and then shown, and the hand-over never blocked."""

import datetime
import hashlib
import hmac
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from personas import build_world

from jalin.monitoring import services as monitoring
from jalin.monitoring.models import ReportStatus
from jalin.monitoring.periods import period_containing
from jalin.notifications import whatsapp
from jalin.notifications.models import Notification, WhatsAppMessage
from jalin.notifications.services import preference_for, preference_update


class StandIn(BaseHTTPRequestHandler):
    """Answers like the Cloud API: 200 with a message id, or the status the test asks for."""

    calls: list = []
    answer_status = 200

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).calls.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        status = type(self).answer_status
        payload = (
            {"messaging_product": "whatsapp", "messages": [{"id": f"wamid.{len(type(self).calls)}"}]}
            if status == 200
            else {"error": {"message": "Template not approved", "code": 132001}}
        )
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class WhatsAppTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.base = f"http://127.0.0.1:{cls.server.server_address[1]}/v21.0"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.period = period_containing(cls.w.pks.signed_on + datetime.timedelta(days=200))
        cls.indicator = monitoring.indicator_create(
            actor=cls.w.oscar,
            agreement=cls.w.pks,
            fields={"name": "Desa terlayani", "indicator_type": "output", "target_value": 12, "unit": "desa"},
        )

    def setUp(self):
        StandIn.calls = []
        StandIn.answer_status = 200
        immediate = HUEY.immediate
        HUEY.immediate = True
        self.addCleanup(setattr, HUEY, "immediate", immediate)
        settings = override_settings(
            WHATSAPP_BACKEND="jalin.notifications.whatsapp.CloudAPIBackend",
            WHATSAPP_API_URL=self.base,
            WHATSAPP_PHONE_NUMBER_ID="1055",
            WHATSAPP_TOKEN="test-token",
            WHATSAPP_APP_SECRET="app-secret",
            SITE_URL="http://127.0.0.1:8113",
        )
        settings.enable()
        self.addCleanup(settings.disable)

    def opt_in(self, user, number="0812-3456-7890"):
        return preference_update(
            actor=user, language="id", email_digest=True, whatsapp_number=number, whatsapp_opt_in=True
        )

    def submit(self):
        report = monitoring.report_start(actor=self.w.oscar, agreement=self.w.pks, period=self.period)
        report = monitoring.report_save(
            actor=self.w.oscar, report=report, summary="Enam desa", indicator_values={self.indicator.pk: Decimal(6)}
        )
        with self.captureOnCommitCallbacks(execute=True):
            return monitoring.report_submit(actor=self.w.oscar, report=report)

    def test_it_sends_an_approved_template_to_who_opted_in(self):
        self.assertEqual(self.opt_in(self.w.alice).whatsapp_number, "+6281234567890")
        report = self.submit()
        self.assertEqual(len(StandIn.calls), 1)
        call = StandIn.calls[0]
        self.assertEqual(call["path"], "/v21.0/1055/messages")
        self.assertEqual(call["auth"], "Bearer test-token")
        body = call["body"]
        self.assertEqual((body["type"], body["to"]), ("template", "6281234567890"))
        self.assertEqual(body["template"]["name"], "jalin_handover")
        self.assertEqual(body["template"]["language"], {"code": "id"})
        texts = [p["text"] for p in body["template"]["components"][0]["parameters"]]
        self.assertTrue(texts[0].startswith("Laporan kemajuan perlu diverifikasi"))
        self.assertEqual(texts[2], "http://127.0.0.1:8113" + reverse("monitoring:report", args=[report.pk]))
        message = WhatsAppMessage.objects.get()
        self.assertEqual((message.status, message.provider_id, message.user), ("sent", "wamid.1", self.w.alice))

    def test_it_sends_nothing_without_the_opt_in(self):
        preference_update(
            actor=self.w.alice,
            language="id",
            email_digest=True,
            whatsapp_number="+6281234567890",
            whatsapp_opt_in=False,
        )
        self.submit()
        self.assertEqual(StandIn.calls, [])
        self.assertFalse(WhatsAppMessage.objects.exists())

    def test_it_refuses_a_number_it_cannot_use(self):
        with self.assertRaises(ValidationError):
            self.opt_in(self.w.alice, number="12345")
        self.assertFalse(preference_for(self.w.alice).whatsapp_opt_in)

    def test_a_failing_gateway_is_retried_then_shown_and_never_blocks_the_hand_over(self):
        self.opt_in(self.w.alice)
        StandIn.answer_status = 500
        report = self.submit()  # raises nothing
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)
        self.assertTrue(Notification.objects.filter(user=self.w.alice, kind="report_submitted").exists())
        message = WhatsAppMessage.objects.get()
        self.assertEqual((message.status, message.attempts), ("failed", 1))
        self.assertIn("HTTP 500", message.error)
        retries = [task for task in HUEY.scheduled() if task.name.endswith("send_whatsapp")]
        self.assertEqual(len(retries), 1)  # huey will try again after WHATSAPP_RETRY_SECONDS
        HUEY.flush()
        for _attempt in range(2):  # the worker's retries
            with self.assertRaises(whatsapp.DeliveryError):
                whatsapp.message_send(message_id=message.pk)
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), ("failed", 3))
        self.assertEqual(len(StandIn.calls), 3)
        self.client.force_login(self.w.alice)
        page = self.client.get(reverse("notifications:list"))
        self.assertContains(page, "Pesan WhatsApp yang tidak dapat dikirim")
        # a further retry after the last attempt sends nothing
        self.assertEqual(whatsapp.message_send(message_id=message.pk), "skipped")
        self.assertEqual(len(StandIn.calls), 3)

    def test_it_records_delivery_statuses_from_the_webhook(self):
        self.opt_in(self.w.alice)
        self.submit()
        payload = json.dumps(
            {"entry": [{"changes": [{"value": {"statuses": [{"id": "wamid.1", "status": "delivered"}]}}]}]}
        ).encode()
        unsigned = self.client.post(reverse("notifications:whatsapp-webhook"), payload, content_type="application/json")
        self.assertEqual(unsigned.status_code, 403)
        signature = "sha256=" + hmac.new(b"app-secret", payload, hashlib.sha256).hexdigest()
        signed = self.client.post(
            reverse("notifications:whatsapp-webhook"),
            payload,
            content_type="application/json",
            headers={"X-Hub-Signature-256": signature},
        )
        self.assertEqual(signed.status_code, 200)
        self.assertEqual(WhatsAppMessage.objects.get().status, "delivered")

    def test_the_preferences_page_saves_the_number_and_opt_in(self):
        self.client.force_login(self.w.oscar)
        self.client.post(
            reverse("notifications:preferences"),
            {"language": "en", "email_digest": "on", "whatsapp_number": "+62 812 1111 2222", "whatsapp_opt_in": "on"},
        )
        preference = preference_for(self.w.oscar)
        self.assertEqual((preference.whatsapp_number, preference.whatsapp_opt_in), ("+6281211112222", True))
        self.assertFalse(preference.email_at_once)  # unticked
