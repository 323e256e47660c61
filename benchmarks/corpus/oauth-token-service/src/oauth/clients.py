"""Registered OAuth clients. Client secrets are stored hashed."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Client:
    client_id: str
    secret_hash: str
    scopes: tuple[str, ...]


CLIENTS = {
    "billing-worker": Client(
        client_id="billing-worker",
        secret_hash="sha256:{{fake:hex:64}}",
        scopes=("invoices:read", "invoices:write"),
    ),
    "reporting": Client(
        client_id="reporting",
        secret_hash="sha256:{{fake:hex:64}}",
        scopes=("reports:read",),
    ),
}

CLIENT_SECRET_PARAM = "client_secret"
