#!/usr/bin/env python3
"""A paydiag client: triage a folder of support tickets, or watch one transaction until it resolves.

The gRPC stubs are generated from the repository's proto/ when the client runs (grpcio-tools),
into a cache directory named after the contract's contents, so the client always speaks the
contract it sits beside and no generated code is kept in the tree.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.metadata
import importlib.resources
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import grpc
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status

PROTO_DIR = Path(__file__).resolve().parents[2] / "proto"
DEFAULT_ADDRESS = "127.0.0.1:50051"
# Health is reported per service; diagnosis calls need only this one to serve.
HEALTH_SERVICE = "paydiag.v1.DiagnosisService"
# A server that is starting is noticed within 0.2-1 s rather than after gRPC's default backoff
# (1 s growing to 2 min), which matters for --wait-ready and for a watch reconnecting.
CHANNEL_OPTIONS = [
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.min_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 1000),
]
TRIAGE_TIMEOUT_SECONDS = 30.0
# Between reconnects of a watch when the server gives no RetryInfo: doubled up to the maximum,
# back to the first after a diagnosis arrives.
RECONNECT_FIRST_SECONDS = 0.5
RECONNECT_MAX_SECONDS = 8.0


@dataclass(frozen=True)
class Client:
    """The generated module, a DiagnosisService stub and what every call sends."""

    pb: ModuleType
    stub: Any
    metadata: tuple[tuple[str, str], ...]
    locale: str
    time_zone: str


@dataclass(frozen=True)
class Ticket:
    """A support ticket as read from a file."""

    ticket_id: str
    subject: str
    body: str
    account_id: str


def load_stubs(proto_dir: Path) -> tuple[ModuleType, ModuleType]:
    """Generates the paydiag.v1 stubs (once per contract) and imports the DiagnosisService ones."""
    from grpc_tools import protoc

    sources = sorted((proto_dir / "paydiag" / "v1").glob("*.proto"))
    if not sources:
        fail(f"no paydiag/v1/*.proto under {proto_dir}")
    digest = hashlib.sha256(importlib.metadata.version("grpcio-tools").encode())
    for source in sources:
        digest.update(source.relative_to(proto_dir).as_posix().encode())
        digest.update(source.read_bytes())
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "paydiag-python"
    out = cache / digest.hexdigest()[:16]
    if not out.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=cache))
        # google/protobuf comes with grpcio-tools, google/rpc from googleapis-common-protos at
        # import time: only paydiag's own files are generated.
        well_known = importlib.resources.files("grpc_tools") / "_proto"
        code = protoc.main(
            [
                "grpc_tools.protoc",
                f"--proto_path={proto_dir}",
                f"--proto_path={well_known}",
                f"--python_out={staging}",
                f"--grpc_python_out={staging}",
                *map(str, sources),
            ]
        )
        if code != 0:
            shutil.rmtree(staging)
            fail(f"generating the stubs from {proto_dir} failed (protoc exit {code})")
        try:
            staging.rename(out)
        except OSError:
            # Another run generated the same contract first; its copy is as good.
            shutil.rmtree(staging)
    sys.path.insert(0, str(out))
    return (
        importlib.import_module("paydiag.v1.diagnosis_service_pb2"),
        importlib.import_module("paydiag.v1.diagnosis_service_pb2_grpc"),
    )


def enum_name(message: Any, field: str) -> str:
    """An enum field's value name without its type's prefix: CAUSE_NO_INCIDENT -> NO_INCIDENT."""
    enum = message.DESCRIPTOR.fields_by_name[field].enum_type
    number = getattr(message, field)
    value = enum.values_by_number.get(number)
    if value is None:
        return str(number)  # a value newer than this contract
    prefix = re.sub(r"(?<!^)(?=[A-Z])", "_", enum.name).upper() + "_"
    return value.name.removeprefix(prefix)


def error_text(error: grpc.RpcError) -> str:
    """The status code, the google.rpc.ErrorInfo reason (when the server sent one) and message."""
    reason = "-"
    status = rpc_status.from_call(error)
    for detail in status.details if status else ():
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            reason = info.reason
    text = f"{error.code().name} {reason}"
    message = error.details()
    return f"{text}: {message}" if message else text


def retry_delay(error: grpc.RpcError) -> float | None:
    """How long the server asked to wait (google.rpc.RetryInfo), in seconds, if it did."""
    status = rpc_status.from_call(error)
    for detail in status.details if status else ():
        if detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            info = error_details_pb2.RetryInfo()
            detail.Unpack(info)
            return info.retry_delay.ToTimedelta().total_seconds()
    return None


def fail(message: str) -> NoReturn:
    """Says what went wrong on stderr and exits 1."""
    print(f"paydiag_client: {message}", file=sys.stderr)
    sys.exit(1)


def wait_ready(channel: grpc.Channel, metadata: tuple, timeout: float) -> None:
    """Waits until the server's health says the diagnosis service is SERVING."""
    stub = health_pb2_grpc.HealthStub(channel)
    request = health_pb2.HealthCheckRequest(service=HEALTH_SERVICE)
    # Watch rather than poll: the server sends the status now and at each change.
    updates = stub.Watch(request, metadata=metadata, timeout=timeout, wait_for_ready=True)
    try:
        for update in updates:
            if update.status == health_pb2.HealthCheckResponse.SERVING:
                return
    except grpc.RpcError as error:
        fail(f"{HEALTH_SERVICE} not SERVING within {timeout:g} s: {error_text(error)}")
    finally:
        updates.cancel()
    fail(f"the health watch of {HEALTH_SERVICE} ended before it was SERVING")


def read_ticket(path: Path) -> Ticket:
    """A ticket file: optional "Subject:" and "Account:" lines and a blank line, then the body."""
    text = path.read_text(encoding="utf-8")
    head, blank, rest = text.partition("\n\n")
    headers: dict[str, str] = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if not colon or key.strip().lower() not in ("subject", "account"):
            headers = {}
            break
        headers[key.strip().lower()] = value.strip()
    body = rest if headers and blank else text
    return Ticket(
        ticket_id=path.stem,
        subject=headers.get("subject", ""),
        body=body.strip(),
        account_id=headers.get("account", ""),
    )


def triage_row(response: Any) -> tuple[str, ...]:
    """One table row: the candidates' references, causes and actions, and where the ticket goes."""
    candidates = response.candidates
    references = [
        c.diagnosis.transaction.reference or c.diagnosis.reference or c.quoted for c in candidates
    ]
    disposition = [enum_name(response, "disposition"), response.queue]
    if response.priority:
        disposition.append(enum_name(response, "priority"))
    return (
        response.ticket_id,
        ", ".join(map(shorten, references)) or "-",
        ", ".join(enum_name(c.diagnosis, "cause") for c in candidates) or "-",
        ", ".join(enum_name(c.diagnosis.next_step, "action") for c in candidates) or "-",
        " ".join(filter(None, disposition)),
    )


def shorten(quoted: str) -> str:
    """A hash quoted for no known transaction, cut to its ends so that the table stays narrow."""
    return quoted if len(quoted) <= 24 else f"{quoted[:10]}…{quoted[-6:]}"


def print_table(rows: list[tuple[str, ...]]) -> None:
    """Prints rows in columns as wide as their widest cell."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def triage(client: Client, folder: Path) -> int:
    """Triages every *.txt ticket of `folder`, by file name, and prints one row per ticket."""
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        fail(f"no *.txt tickets in {folder}")
    rows: list[tuple[str, ...]] = [("TICKET", "CANDIDATES", "CAUSE", "ACTION", "DISPOSITION")]
    for path in paths:
        ticket = read_ticket(path)
        request = client.pb.TriageTicketRequest(
            ticket_id=ticket.ticket_id,
            subject=ticket.subject,
            body=ticket.body,
            account_id=ticket.account_id,
            locale=client.locale,
            time_zone=client.time_zone,
            view=client.pb.DIAGNOSIS_VIEW_BASIC,
        )
        try:
            response = client.stub.TriageTicket(
                request, metadata=client.metadata, timeout=TRIAGE_TIMEOUT_SECONDS
            )
        except grpc.RpcError as error:
            fail(f"TriageTicket {path.name}: {error_text(error)}")
        rows.append(triage_row(response))
    print_table(rows)
    return 0


def moment(message: Any, field: str, zone: ZoneInfo) -> str:
    """A Timestamp field in `zone`, or "-" when unset."""
    if not message.HasField(field):
        return "-"
    at = getattr(message, field).ToDatetime(tzinfo=UTC).astimezone(zone)
    return at.strftime("%Y-%m-%d %H:%M:%S %Z")


def watch(client: Client, reference: str) -> int:
    """Prints each diagnosis of `reference` as it changes; returns once it is final."""
    request = client.pb.WatchDiagnosisRequest(
        reference=reference,
        locale=client.locale,
        time_zone=client.time_zone,
        view=client.pb.DIAGNOSIS_VIEW_BASIC,
    )
    zone = ZoneInfo(client.time_zone or "UTC")
    last_outcome = None
    reconnecting = False
    pause = RECONNECT_FIRST_SECONDS
    while True:
        try:
            # Reconnecting, the call waits for the server (or another replica) to accept
            # connections again rather than failing at once; the first call fails fast instead.
            for diagnosis in client.stub.WatchDiagnosis(
                request, metadata=client.metadata, wait_for_ready=reconnecting
            ):
                step = diagnosis.next_step
                outcome = (
                    enum_name(diagnosis, "cause"),
                    enum_name(step, "action"),
                    moment(step, "expected_resolution_at", zone),
                    moment(step, "recheck_at", zone),
                )
                # A reconnected watch starts with the current diagnosis: shown only if it changed.
                if outcome != last_outcome:
                    cause, action, resolution, recheck = outcome
                    print(
                        f"{moment(diagnosis, 'as_of', zone)}  cause {cause}  action {action}"
                        f"  expected resolution {resolution}  recheck at {recheck}",
                        flush=True,
                    )
                last_outcome = outcome
                pause = RECONNECT_FIRST_SECONDS
            return 0
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.UNAVAILABLE:
                fail(f"WatchDiagnosis {reference}: {error_text(error)}")
            wait = retry_delay(error) or pause
            note = f"{error_text(error)}; reconnecting in {wait:g} s"
            print(f"paydiag_client: {note}", file=sys.stderr)
            time.sleep(wait)
            reconnecting = True
            pause = min(pause * 2, RECONNECT_MAX_SECONDS)


def time_zone_name(name: str) -> str:
    """An IANA time zone name, checked here so that a typo is refused before any call."""
    if not name:
        return name  # the default: the server chooses
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(f"not an IANA time zone name: {name!r}") from None
    return name


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--address",
        default=os.environ.get("PAYDIAG_SERVER", DEFAULT_ADDRESS),
        help=f"the server's host:port, plaintext (default: $PAYDIAG_SERVER or {DEFAULT_ADDRESS})",
    )
    parser.add_argument(
        "--token",
        default=os.environ.get("PAYDIAG_TOKEN"),
        help="bearer token, for a server with a callers file (default: $PAYDIAG_TOKEN)",
    )
    parser.add_argument(
        "--locale",
        default="",
        help='language of the texts, e.g. "en", "zh-CN", "zh-TW" (default: the server\'s choice)',
    )
    parser.add_argument(
        "--time-zone",
        type=time_zone_name,
        default="",
        help="the customer's IANA time zone, e.g. Asia/Shanghai (default: the server's choice; "
        "the watch prints times in it, else in UTC)",
    )
    parser.add_argument(
        "--wait-ready",
        type=float,
        metavar="SECONDS",
        help="first wait up to SECONDS for the server's health to say SERVING (alone: only wait)",
    )
    parser.add_argument(
        "--proto-dir",
        type=Path,
        default=PROTO_DIR,
        help="the contract to generate the stubs from (default: the proto/ of this repository)",
    )
    commands = parser.add_subparsers(dest="command")
    triage_parser = commands.add_parser("triage", help="triage every *.txt ticket in a folder")
    triage_parser.add_argument("folder", type=Path)
    watch_parser = commands.add_parser("watch", help="watch one transaction until it resolves")
    watch_parser.add_argument("reference", help="its platform reference or transaction hash")
    args = parser.parse_args(argv)
    if args.command is None and args.wait_ready is None:
        parser.error("a command is required, unless --wait-ready is given alone")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    pb, pb_grpc = load_stubs(args.proto_dir)
    metadata = (("authorization", f"Bearer {args.token}"),) if args.token else ()
    with grpc.insecure_channel(args.address, options=CHANNEL_OPTIONS) as channel:
        if args.wait_ready is not None:
            wait_ready(channel, metadata, args.wait_ready)
        stub = pb_grpc.DiagnosisServiceStub(channel)
        client = Client(pb, stub, metadata, args.locale, args.time_zone)
        if args.command == "triage":
            return triage(client, args.folder)
        if args.command == "watch":
            return watch(client, args.reference)
        return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
