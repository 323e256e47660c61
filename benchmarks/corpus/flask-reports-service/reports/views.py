from flask import Blueprint, abort, jsonify, request

from reports.auth import read_token
from reports.guest import kiosk_claims

bp = Blueprint("reports", __name__)


@bp.get("/reports/<name>")
def report(name: str):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        abort(401)
    claims = read_token(header[7:])
    return jsonify({"report": name, "for": claims["sub"]})


@bp.get("/kiosk/<dashboard>")
def kiosk(dashboard: str):
    claims = kiosk_claims(request.args.get("t", ""))
    if claims["dashboard"] != dashboard:
        abort(403)
    return jsonify({"dashboard": dashboard})
