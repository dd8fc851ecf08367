"""``uglymugs staff``: the staff console, a local web app on this machine only.

    uglymugs staff [--port N] [--no-browser]

It listens on 127.0.0.1 and prints an address with a one-time launch token (open it
in the browser on this machine; the token becomes a session cookie). The passphrase
is typed into the console's unlock page; the keys and every decrypted report stay in
this process's memory, dropped after 15 idle minutes or on "Lock". It reads the same
settings as every command: the data directory, or a deployed stack after
``eval "$(uglymugs aws env)"``.
"""

from __future__ import annotations

import argparse
import socket
import webbrowser
from typing import Any

from uglymugs.config import Settings

DEFAULT_PORT = 8765


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "staff", help="the staff console: triage, casework, alerts, vetting (local web app)"
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port on 127.0.0.1")
    parser.add_argument(
        "--no-browser", action="store_true", help="only print the address; open no browser"
    )
    parser.set_defaults(handler=run_staff)


def console_services(settings: Settings) -> Any:
    """The console's services from the settings, through the composition root."""
    from uglymugs import composition
    from uglymugs.staff.seen import seen_path
    from uglymugs.staff.services import ConsoleServices
    from uglymugs.staff.unlocked import Keyholder

    members = composition.member_services(settings)
    actions = members.staff_actions
    verify_keys = composition.bundle_verify_keys(settings)
    feed = None
    if verify_keys is not None:
        from uglymugs.notify.publications import PublicationFeed

        feed = PublicationFeed(composition.bundle_shelf(settings), verify_keys)
    from uglymugs.reports.index import index_path

    keyholder = Keyholder(
        settings.keys_dir,
        composition.report_vault(settings),
        composition.case_store(settings),
        seen_path=seen_path(settings.data_dir, settings.staff),
        index_path=index_path(settings.data_dir, settings.vault_bucket),
    )
    return ConsoleServices(
        staff_name=settings.staff,
        keyholder=keyholder,
        audit_log=composition.audit_log(settings),
        checkout=settings.staff_checkout.resolve(),
        report_keyring=lambda: composition.report_keyring(settings),
        members=actions,
        notify_ledger=composition.notification_ledger(settings),
        survey_store=composition.existing_survey_store(settings),
        publications=feed,
        sharing_ledger=composition.sharing_ledger(settings),
        figures_suppressed_below=settings.figures_suppressed_below,
        partners_dir=settings.partners_dir.resolve(),
        sending=composition.sharing_services(settings),
    )


def run_staff(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from uglymugs.cli import CommandError
    from uglymugs.staff.app import create_staff_app
    from uglymugs.staff.guard import Tickets, allowed_hosts

    if not _free(args.port):
        raise CommandError(f"port {args.port} on 127.0.0.1 is in use: choose another with --port")
    tickets = Tickets()
    app = create_staff_app(console_services(settings), tickets, allowed_hosts(args.port))
    url = f"http://127.0.0.1:{args.port}/launch?token={tickets.launch_token}"
    print(f"Staff console: open {url}", flush=True)
    print("The address works once. Stop the console with Ctrl+C.", flush=True)
    if not args.no_browser:
        webbrowser.open(url)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
    return 0


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
