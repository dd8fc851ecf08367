"""Each member hears about an alert in their own language: e-mail (subject, text, HTML,
links) and SMS, composed once per language; the alert's own translation of what
happened when it has one."""

from __future__ import annotations

from datetime import timedelta

from tests.notify.scenario import NOW, SITE_URL, alert, member, publish
from tests.notify.test_fanout import Scheme


def test_each_member_gets_the_alert_in_their_own_language(tmp_path, clock):
    clock.now = NOW + timedelta(minutes=5)
    scheme = Scheme(tmp_path, clock)
    scheme.directory.add(member("English"))
    scheme.directory.add(member("Polish", language="pl"))
    scheme.directory.add(member("Chinese", language="zh-hans"))
    scheme.directory.add(
        member("PolishText", channels=("sms",), mobile="+447700900123", language="pl")
    )
    scheme.directory.add(
        member("ChineseText", channels=("sms",), mobile="+447700900124", language="zh-hans")
    )
    translated = {"pl": {"what_happened": "Zabrał jej telefony.", "area": "Centrum"}}
    publish(scheme.shelf, [alert("2026-0008", translations=translated)])
    report = scheme.run()
    assert report.sent["email"] == 3 and report.sent["sms"] == 2
    mails = {str(message["To"]): message for message in scheme.outbox.messages()}
    english, polish = mails["english@example.org"], mails["polish@example.org"]
    chinese = mails["chinese@example.org"]
    assert str(english["Subject"]).startswith("Ugly Mugs alert 2026-0008")
    assert str(polish["Subject"]) != str(english["Subject"])
    polish_text = polish.get_body(("plain",)).get_content()
    assert f"{SITE_URL}/pl/members/" in polish_text
    assert "Zabrał jej telefony." in polish_text
    assert 'lang="pl"' in polish.get_body(("html",)).get_content()
    assert f"{SITE_URL}/zh-hans/members/" in chinese.get_body(("plain",)).get_content()
    assert f"{SITE_URL}/members/" in english.get_body(("plain",)).get_content()
    assert "Zabrał" not in english.get_body(("plain",)).get_content()
    texts = dict(scheme.texts.messages())
    assert f"{SITE_URL}/pl/members/" in texts["+447700900123"]
    assert "/zh-hans/members/" in texts["+447700900124"] or "警报" in texts["+447700900124"]
    # Nothing twice, whatever the languages.
    again = scheme.run()
    assert sum(again.sent.values()) == 0
