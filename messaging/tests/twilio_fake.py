"""A stand-in for Twilio's Messages API on loopback, for tests and the
benchmark: the real `twilio` client sends it real HTTP (SMS_URL's
?api=http://127.0.0.1:PORT), and it answers as Twilio does.

- POST /2010-04-01/Accounts/{sid}/Messages.json: checks the Basic auth,
  records the message, answers 201 with its JSON (sid, status "queued"…),
  or the error Twilio would give: 21211 (invalid number), 21610 (the
  number sent STOP to the provider), 429 throttling;
- GET the same path: the list, filtered by To and DateSent> (what
  reconciliation asks);
- numbers marked unreachable (30003/30005/30006) are accepted, and their
  status callback says "undelivered" with that ErrorCode, as Twilio's does;
- callbacks_send() posts the status callbacks of everything accepted to each
  message's StatusCallback URL, signed with X-Twilio-Signature
  (RequestValidator's algorithm, under the auth token);
  inbound_send() posts a message "from a person" to our inbound webhook.
No test reaches the internet: only 127.0.0.1.
"""

import email.utils
import itertools
import json
import re
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime

from pytest_httpserver import HTTPServer
from twilio.request_validator import RequestValidator
from werkzeug import Response

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "fake-auth-token-for-tests-only"
MESSAGING_SERVICE_SID = "MG" + "0" * 31 + "2"

_MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")

ERROR_MESSAGES = {
    21211: "The 'To' number is not a valid phone number.",
    21610: "Attempt to send to unsubscribed recipient",
    20429: "Too Many Requests",
    20003: "Authenticate",
}


def _rfc2822(moment):
    return email.utils.format_datetime(moment, usegmt=True)


class TwilioFake:
    def __init__(self, *, latency=0.0):
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.latency = latency
        self.lock = threading.Lock()
        self.messages = []          # accepted, in order
        self.requests = []          # every POST's form fields
        self.invalid = set()        # numbers answered 21211
        self.opted_out = set()      # numbers answered 21610
        self.unreachable = {}       # number -> 30003/30005/30006
        self.throttle_next = 0      # the next N sends get 429
        self.callback_answers = []  # HTTP statuses our webhook answered
        self.accepted_at = []       # time.monotonic() each accepted one arrived (the benchmark's rate)
        self._sids = itertools.count(1)
        self.server.expect_request(_MESSAGES_PATH, method="POST").respond_with_handler(self._create)
        self.server.expect_request(_MESSAGES_PATH, method="GET").respond_with_handler(self._list)

    # --- lifecycle ------------------------------------------------------------
    def start(self):
        self.server.start()
        return self

    def stop(self):
        self.server.clear()
        if self.server.is_running():
            self.server.stop()

    @property
    def api_base(self):
        return f"http://127.0.0.1:{self.server.port}"

    @property
    def sms_url(self):
        return f"twilio://{ACCOUNT_SID}:{AUTH_TOKEN}@{MESSAGING_SERVICE_SID}?api={self.api_base}"

    # --- the API ----------------------------------------------------------------
    def _authorized(self, request):
        auth = request.authorization
        return auth is not None and auth.username == ACCOUNT_SID and auth.password == AUTH_TOKEN

    @staticmethod
    def _error(status, code):
        body = {"code": code, "message": ERROR_MESSAGES.get(code, "Error"), "status": status,
                "more_info": f"https://www.twilio.com/docs/errors/{code}"}
        return Response(json.dumps(body), status=status, content_type="application/json")

    def _create(self, request):
        received = time.monotonic()
        if self.latency:
            time.sleep(self.latency)
        if not self._authorized(request):
            return self._error(401, 20003)
        fields = request.form.to_dict()
        to = fields.get("To", "")
        number = to.removeprefix("whatsapp:")
        with self.lock:
            self.requests.append(fields)
            if self.throttle_next > 0:
                self.throttle_next -= 1
                return self._error(429, 20429)
            if number in self.invalid or not re.fullmatch(r"\+[1-9]\d{6,14}", number):
                return self._error(400, 21211)
            if number in self.opted_out:
                return self._error(400, 21610)
            now = datetime.now(UTC)
            message = {
                "sid": f"SM{next(self._sids):032x}", "account_sid": ACCOUNT_SID, "to": to, "from": None,
                "messaging_service_sid": fields.get("MessagingServiceSid"), "body": fields.get("Body", ""),
                "status": "queued", "direction": "outbound-api", "num_segments": "1", "num_media": "0",
                "date_created": _rfc2822(now), "date_updated": _rfc2822(now), "date_sent": _rfc2822(now),
                "error_code": None, "error_message": None, "price": None, "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/SM.json",
                "_sent_at": now, "_callback": fields.get("StatusCallback", ""), "_fields": fields,
            }
            message["uri"] = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{message['sid']}.json"
            self.messages.append(message)
            self.accepted_at.append(received)
        return Response(json.dumps(self._public(message)), status=201, content_type="application/json")

    @staticmethod
    def _public(message):
        return {key: value for key, value in message.items() if not key.startswith("_")}

    def _list(self, request):
        if not self._authorized(request):
            return self._error(401, 20003)
        to = request.args.get("To")
        after = request.args.get("DateSent>")
        after = datetime.fromisoformat(after.replace("Z", "+00:00")) if after else None
        with self.lock:
            found = [
                self._public(message) for message in self.messages
                if (to is None or message["to"] == to) and (after is None or message["_sent_at"] >= after)
            ]
        page = {
            "messages": found, "end": max(0, len(found) - 1), "start": 0, "page": 0,
            "page_size": len(found), "first_page_uri": request.full_path, "next_page_uri": None,
            "previous_page_uri": None, "uri": request.full_path,
        }
        return Response(json.dumps(page), status=200, content_type="application/json")

    # --- what tests read --------------------------------------------------------
    def sent_to(self, number):
        """Bodies accepted for `number` ("+1…" or "whatsapp:+1…")."""
        with self.lock:
            return [message["body"] for message in self.messages if message["to"] == number]

    def bodies(self):
        with self.lock:
            return [message["body"] for message in self.messages]

    # --- what Twilio posts back ---------------------------------------------------
    def signed_post(self, url, params, *, token=AUTH_TOKEN):
        signature = RequestValidator(token).compute_signature(url, params)
        request = urllib.request.Request(
            url, data=urllib.parse.urlencode(params).encode(), method="POST",
            headers={"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def callbacks_send(self, *, final="delivered"):
        """Post, for each accepted message not yet reported, "sent" then its
        fate: `final` ("delivered"), or "undelivered" with its ErrorCode for
        an unreachable number. Returns our webhook's answers."""
        with self.lock:
            pending = [message for message in self.messages if message["_callback"] and message["status"] == "queued"]
        answers = []
        for message in pending:
            number = message["to"].removeprefix("whatsapp:")
            steps = [("sent", None)]
            if number in self.unreachable:
                steps.append(("undelivered", self.unreachable[number]))
            else:
                steps.append((final, None))
            for status, code in steps:
                params = {"MessageSid": message["sid"], "MessageStatus": status, "AccountSid": ACCOUNT_SID,
                          "To": message["to"], "ApiVersion": "2010-04-01"}
                if code:
                    params["ErrorCode"] = str(code)
                answers.append(self.signed_post(message["_callback"], params)[0])
            with self.lock:
                message["status"] = steps[-1][0]
                message["error_code"] = steps[-1][1]
        self.callback_answers += answers
        return answers

    def inbound_send(self, url, *, from_, body, sid=None):
        """A person texting us: Twilio's inbound webhook post."""
        params = {"MessageSid": sid or f"SMin{next(self._sids):030x}", "AccountSid": ACCOUNT_SID,
                  "From": from_, "To": "+12155550100", "Body": body, "NumMedia": "0",
                  "MessagingServiceSid": MESSAGING_SERVICE_SID}
        return self.signed_post(url, params)
