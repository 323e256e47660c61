from flask import Blueprint, jsonify, request

from . import db
from .auth import login_required
from .models import Note

bp = Blueprint("notes", __name__)


@bp.get("/")
@login_required
def list_notes():
    notes = Note.query.filter_by(owner_id=request.user_id).all()
    return jsonify([{"id": n.id, "title": n.title} for n in notes])


@bp.post("/")
@login_required
def create_note():
    data = request.get_json() or {}
    note = Note(owner_id=request.user_id, title=data.get("title", "untitled"), body=data.get("body", ""))
    db.session.add(note)
    db.session.commit()
    return jsonify(id=note.id), 201
