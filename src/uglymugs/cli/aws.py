"""``uglymugs aws``: connect the staff command and a deployed stack.

    uglymugs aws store-public-keys [--prefix /uglymugs]
    eval "$(uglymugs aws env [--stack uglymugs])"

``store-public-keys`` writes the report key ring and the bundle verify key (public
halves only) to the SSM parameters the SAM template reads at deploy time; run it after
``keys init`` or ``keys rotate``, then ``sam deploy``. ``env`` prints the stack's
outputs as the environment variables ``publish --target aws``, ``members`` and
``notify status`` read. Both use the AWS credentials and region of the shell.
"""

from __future__ import annotations

import argparse
import sys

from uglymugs.cli import CommandError
from uglymugs.config import Settings
from uglymugs.deploy.stack import DEFAULT_PARAMETER_PREFIX, DEFAULT_STACK


def register(subparsers: argparse._SubParsersAction) -> None:
    aws = subparsers.add_parser("aws", help="connect this command and a deployed AWS stack")
    commands = aws.add_subparsers(dest="aws_command", required=True)
    store = commands.add_parser(
        "store-public-keys",
        help="write the public report and bundle keys to the SSM parameters the stack reads",
    )
    store.add_argument("--prefix", default=DEFAULT_PARAMETER_PREFIX, help="parameter path")
    store.set_defaults(handler=run_store_public_keys)
    env = commands.add_parser(
        "env", help="print the stack's outputs as export lines for the uglymugs command"
    )
    env.add_argument("--stack", default=DEFAULT_STACK, help=f"stack name (default {DEFAULT_STACK})")
    env.set_defaults(handler=run_env)


def run_store_public_keys(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.crypto.keys import KeyStoreError, load_public_keys
    from uglymugs.deploy.stack import public_key_parameters, store_parameters

    try:
        public = load_public_keys(settings.keys_dir)
    except KeyStoreError as error:
        raise CommandError(str(error)) from None
    parameters = public_key_parameters(public, args.prefix.rstrip("/"))
    store_parameters(parameters)
    for name in parameters:
        print(f"wrote {name}")
    print("Deploy (sam deploy) for the functions to use them.")
    return 0


def run_env(args: argparse.Namespace, settings: Settings) -> int:
    from uglymugs.deploy.stack import StackNotFoundError, environment_from_outputs, shell_exports

    try:
        environment = environment_from_outputs(args.stack)
    except StackNotFoundError as error:
        raise CommandError(str(error)) from None
    sys.stdout.write(shell_exports(environment))
    return 0
