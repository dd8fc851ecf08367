"""``uglymugs share``: send a consented, anonymised incident to a partner; the ledger.

    uglymugs share scas|hub|referral INCIDENT [--to PARTNER] [--preview] [--out FILE | --email]
    uglymugs share log [--json] [--partner ID] [--incident NUMBER]
    uglymugs share withdrawn INCIDENT
    uglymugs share reply ITEM --to PARTNER --file FILE

A share decrypts the incident in memory, builds the packet the rules allow
(:mod:`uglymugs.sharing.rules`) or refuses in one line, encrypts it to the partner's
age key and writes the ``.age`` file for staff to send, or with ``--email`` sends it
to the partner's contact address as an attachment (once: :mod:`uglymugs.sharing.sending`);
the sharing ledger and the audit trail record it. ``--preview`` prints the packet's
JSON and writes and records nothing. ``log`` verifies the ledger's chain before
listing it. ``withdrawn`` lists the partners that received the incident under a
consent since withdrawn. ``reply`` answers information or a request from police (a
"From police" item) through the mailer to a partner of the directory, encrypted to
its age key, once (:mod:`uglymugs.sharing.replies`); the audit trail and the case's
contact log record it without the text.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from uglymugs.cli import CommandError
from uglymugs.cli.audit import record_action
from uglymugs.cli.reports import open_reports_around
from uglymugs.config import Settings
from uglymugs.reports.incidents import Incident, incident_of
from uglymugs.safe_text import for_terminal
from uglymugs.sharing.partners import Partner, check_partners
from uglymugs.sharing.rules import ACTIONS

DEFAULT_PARTNERS = Path("partners")


def register(subparsers: argparse._SubParsersAction) -> None:
    share = subparsers.add_parser("share", help="share an incident with a partner; the ledger")
    commands = share.add_subparsers(dest="share_command", required=True)
    for action in ACTIONS:
        send = commands.add_parser(action, help=f"build, encrypt and write a {action} packet")
        send.add_argument("incident", help="the incident (any of its report numbers)")
        send.add_argument("--to", metavar="PARTNER", help="the partner id (partners/*.yaml)")
        send.add_argument("--preview", action="store_true", help="print the JSON; send nothing")
        route = send.add_mutually_exclusive_group()
        route.add_argument("--out", type=Path, help="where to write the encrypted packet")
        route.add_argument(
            "--email",
            action="store_true",
            help="e-mail the encrypted packet to the partner's contact address",
        )
        _common(send)
        send.set_defaults(handler=run_share, action=action)
    log = commands.add_parser("log", help="verify the sharing ledger and list its shares")
    log.add_argument("--json", action="store_true", help="print the shares as JSON")
    log.add_argument("--partner", help="only shares to this partner")
    log.add_argument("--incident", help="only shares of this incident (any report number)")
    log.set_defaults(handler=run_log)
    withdrawn = commands.add_parser(
        "withdrawn", help="partners that received an incident whose consent was withdrawn"
    )
    withdrawn.add_argument("incident", help="the incident (any of its report numbers)")
    _common(withdrawn, partners=False)
    withdrawn.set_defaults(handler=run_withdrawn)
    reply = commands.add_parser(
        "reply", help="answer a request from police by e-mail to a partner, encrypted"
    )
    reply.add_argument("item", help="the police submission's report number")
    reply.add_argument("--to", metavar="PARTNER", required=True, help="the partner id")
    reply.add_argument(
        "--file", type=Path, required=True, help="the reply as UTF-8 text ('-': standard input)"
    )
    _common(reply)
    reply.set_defaults(handler=run_reply)


def _common(parser: argparse.ArgumentParser, *, partners: bool = True) -> None:
    if partners:
        parser.add_argument(
            "--partners", type=Path, default=DEFAULT_PARTNERS, help="the partner directory"
        )
    parser.add_argument("--aws-bucket", metavar="BUCKET", help="read the vault from this bucket")


def run_share(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs import composition
    from uglymugs.sharing.ledger import record_share
    from uglymugs.sharing.packets import ShareRefusedError, build_packet, encrypt

    incident = _incident(args, settings)
    partner = _partner(args, incident)
    try:
        packet = build_packet(args.action, incident, partner, datetime.now(UTC))
    except ShareRefusedError as error:
        raise CommandError(f"not shared: {error}") from None
    if args.preview:
        print(packet.data.decode())
        return 0
    if args.email:
        return _email(settings, incident, packet, partner)
    out = args.out or Path(f"{incident.number}-{args.action}-{partner.id}.json.age")
    _write_new(out, encrypt(packet, partner))
    share = record_share(
        composition.sharing_ledger(settings), settings.staff, incident, packet, partner
    )
    record_action(settings, "share", incident.numbers, detail=f"{args.action} to {partner.id}")
    print(f"Wrote {out}: {args.action} packet for {partner.id} ({partner.contact}), encrypted")
    print(f"to its age key. Fields: {', '.join(share.fields)}.")
    print(f"Recorded in the sharing ledger (entry {share.sequence}, digest {share.digest[:16]}).")
    return 0


def _email(settings: Settings, incident: Incident, packet, partner: Partner) -> int:
    """Send the packet by e-mail once; a retry of a share that went sends nothing."""
    from uglymugs import composition
    from uglymugs.sharing.sending import ShareInFlightError, email_packet

    try:
        outcome = email_packet(
            composition.sharing_services(settings), settings.staff, incident, packet, partner
        )
    except ShareInFlightError as error:
        raise CommandError(f"not sent: {error}") from None
    share = outcome.share
    if not outcome.sent:
        print(f"Already sent to {partner.id} on {share.at[:19]} (ledger entry {share.sequence});")
        print("nothing was sent again.")
        return 0
    record_action(settings, "share", incident.numbers, detail=f"{share.action} to {partner.id}")
    print(f"E-mailed the encrypted {share.action} packet to {partner.id} ({partner.contact}).")
    print(f"Fields: {', '.join(share.fields)}.")
    print(f"Recorded in the sharing ledger (entry {share.sequence}, digest {share.digest[:16]}).")
    return 0


def _incident(args: argparse.Namespace, settings: Settings) -> Incident:
    number, reports = open_reports_around(args.incident, args, settings)
    incident = incident_of(number, reports.values())
    assert incident is not None  # noqa: S101 - open_reports_around checked the number
    return incident


def _partner(args: argparse.Namespace, incident: Incident) -> Partner:
    """``--to``'s partner, or the one partner of the action's kinds for the area."""
    checked = check_partners([args.partners]) if args.partners.exists() else None
    if checked is None or not checked.ok:
        raise CommandError(f"the partner directory {args.partners} does not pass partners check")
    if args.to:
        if args.to not in checked.partners:
            raise CommandError(f"no partner {args.to!r} in {args.partners}")
        return checked.partners[args.to]
    kinds = ACTIONS[args.action][2]
    fitting = [
        partner
        for partner in checked.partners.values()
        if partner.kind in kinds and partner.covers(incident.force_area)
    ]
    if len(fitting) != 1:
        names = ", ".join(partner.id for partner in fitting) or "none"
        raise CommandError(f"choose the partner with --to (partners that fit: {names})")
    return fitting[0]


def _write_new(path: Path, data: bytes) -> None:
    try:
        with path.open("xb") as file:
            file.write(data)
    except FileExistsError:
        raise CommandError(f"{path} exists; choose another --out") from None


def run_log(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs import composition
    from uglymugs.sharing.ledger import shares, verify_ledger

    ledger = composition.sharing_ledger(settings)
    result = verify_ledger(ledger)
    found = shares(ledger)
    if args.partner:
        found = [share for share in found if share.partner == args.partner]
    if args.incident:
        found = [share for share in found if args.incident.upper() in share.numbers]
    if args.json:
        document = {
            "verified": result.ok,
            "count": result.count,
            "head": result.head,
            "problems": list(result.problems),
            "shares": [share.as_dict() for share in found],
        }
        print(json.dumps(document, indent=2))
    else:
        for share in found:
            print(for_terminal(_share_line(share)))
        print(f"Ledger: {result.count} entries, head {result.head}.")
        for problem in result.problems:
            print(for_terminal(problem), file=sys.stderr)
    return 0 if result.ok else 1


def _share_line(share) -> str:
    return (
        f"{share.sequence}  {share.at[:19]}  {share.who}  {share.action} {share.incident} "
        f"to {share.partner}  {share.consent}={share.consent_answer} ({share.consent_source})  "
        f"digest {share.digest[:16]}  fields {','.join(share.fields)}"
    )


def run_withdrawn(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs import composition
    from uglymugs.sharing.ledger import to_ask_for_deletion

    incident = _incident(args, settings)
    record_action(settings, "read", incident.numbers, detail="share withdrawn")
    found = to_ask_for_deletion(composition.sharing_ledger(settings), incident)
    if not found:
        print(f"No partner holds incident {incident.number} under a withdrawn consent.")
        return 0
    print(f"Consent withdrawn: ask these partners to delete incident {incident.number}:")
    for share in found:
        now = incident.consents.by_name(share.consent)
        print(
            for_terminal(
                f"  {share.partner}: packet {share.packet_id} sent {share.at[:19]} "
                f"({share.consent} now {now.answer or 'not answered'}, {now.source})"
            )
        )
    return 0


def run_reply(args: argparse.Namespace, settings: Settings) -> int:
    """Answer a police submission once; a retry of the same reply sends nothing."""
    from uglymugs import composition
    from uglymugs.cli.reports import open_casework, passphrase_once
    from uglymugs.sharing.replies import (
        ReplyInFlightError,
        ReplyRefusedError,
        log_reply,
        prepare_reply,
        send_reply,
    )

    text = _reply_text(args.file)
    passphrase = passphrase_once(settings)
    number, reports = open_reports_around(args.item, args, settings, passphrase)
    incident = incident_of(number, reports.values())
    assert incident is not None  # noqa: S101 - open_reports_around checked the number
    checked = check_partners([args.partners]) if args.partners.exists() else None
    if checked is None or not checked.ok:
        raise CommandError(f"the partner directory {args.partners} does not pass partners check")
    try:
        reply = prepare_reply(incident, checked.partners, args.to, text)
    except ReplyRefusedError as error:
        raise CommandError(f"not sent: {error}") from None
    services = composition.sharing_services(settings)
    try:
        sent = send_reply(services.claims, services.mailer, reply)
    except ReplyInFlightError as error:
        raise CommandError(f"not sent: {error}") from None
    if not sent:
        print(f"This reply to {reply.partner.id} was already sent; nothing was sent again.")
        return 0
    record_action(settings, "reply", reply.numbers, detail=reply.record_detail())
    log_reply(open_casework(settings, passphrase()), reply, settings.staff, datetime.now(UTC))
    print(f"E-mailed the reply to {reply.partner.id} ({reply.partner.contact}), encrypted to")
    print(f"its age key; recorded (digest {reply.digest[:16]}) in the audit trail and the case.")
    return 0


def _reply_text(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"--file: cannot read {path}: {error}") from None
