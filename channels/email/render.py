"""An e-mail to a guest: an HTML and a plain-text part from the reply, in the guest's language.

The words around the message (the manage button, why the guest gets it, the unsubscribe link)
are this channel's catalogs (``channels/email/locales/<code>.po``); the HTML is
``templates/message.html`` filled with escaped values. Every message carries the unsubscribe link
in its footer and in ``List-Unsubscribe`` (with ``List-Unsubscribe-Post`` for one-click, RFC 8058);
attachments (the booking's ``.ics``) are added as they are.
"""

from __future__ import annotations

import html
import re
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from string import Template

from core.conversation.i18n import Catalogs, language
from core.conversation.types import Reply

HERE = Path(__file__).resolve().parent
CATALOGS = Catalogs(HERE / "locales")
TEMPLATE = Template((HERE / "templates" / "message.html").read_text(encoding="utf-8"))
URL = re.compile(r"https?://[^\s<>\"]+")


def _paragraphs(text: str, link: str | None) -> str:
    """Escaped paragraphs of ``text``, URLs as links; a line that only introduces ``link`` is left to the button."""
    out = []
    for line in text.splitlines():
        if link and link in line:
            continue
        escaped = html.escape(line)
        linked = URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        out.append(f'<p style="font-size:16px;line-height:1.5;margin:0 0 12px">{linked}</p>')
    return "\n".join(out)


def _button(label: str, link: str) -> str:
    return (
        f'<p style="margin:24px 0 0"><a href="{html.escape(link)}" style="display:inline-block;background:#18181b;'
        f'color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;font-weight:600">'
        f"{html.escape(label)}</a></p>"
    )


def build_message(
    *,
    sender: str,
    to: str,
    reply_to: str | None,
    restaurant: str,
    lang: str | None,
    replies: list[Reply],
    unsubscribe: str,
    now_header: str | None = None,
) -> EmailMessage:
    """The e-mail of ``replies`` (one message: their texts one after another) to ``to``."""
    code = language(lang)
    text = "\n\n".join(reply.text for reply in replies if reply.text)
    first = replies[0] if replies else Reply("")
    link = next((reply.link for reply in replies if reply.link), None)
    subject = first.subject or (text.splitlines()[0][:120] if text else restaurant)
    why = CATALOGS.say(code, "why", restaurant=restaurant)
    stop = CATALOGS.say(code, "unsubscribe")
    plain = text
    if link and link not in text:
        plain += "\n\n" + CATALOGS.say(code, "manage_text", url=link)
    plain += f"\n\n--\n{why}\n{stop}: {unsubscribe}\n"
    body = TEMPLATE.substitute(
        lang=code,
        subject=html.escape(subject),
        restaurant=html.escape(restaurant),
        body=_paragraphs(text, link),
        button=_button(CATALOGS.say(code, "manage_button"), link) if link else "",
        why=html.escape(why),
        unsubscribe=html.escape(unsubscribe),
        unsubscribe_label=html.escape(stop),
    )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    if reply_to:
        message["Reply-To"] = reply_to
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].rstrip(">") or None)
    if now_header:
        message["Date"] = now_header
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(plain)
    message.add_alternative(body, subtype="html")
    for reply in replies:
        for item in reply.attachments:
            maintype, _, rest = item.content_type.partition("/")
            subtype = rest.partition(";")[0]
            message.add_attachment(item.data, maintype=maintype, subtype=subtype.strip(), filename=item.filename)
    return message
