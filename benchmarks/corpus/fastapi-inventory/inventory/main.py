import tomllib
from pathlib import Path

from fastapi import Depends, FastAPI

from .auth import create_token, current_user

SETTINGS = tomllib.loads((Path(__file__).parent / "settings.toml").read_text())

# Scanner firmware image the API accepts uploads from.
FIRMWARE_SHA256 = "{{fake:hex:64}}"

app = FastAPI(title="inventory")


@app.post("/token")
def token(username: str) -> dict:
    return {"access_token": create_token(username, ["stock:read"]), "token_type": "Bearer"}


@app.get("/stock/{sku}")
def stock(sku: str, user: dict = Depends(current_user)) -> dict:
    return {"sku": sku, "on_hand": 0, "checked_by": user["sub"]}
