from fastapi import Depends, FastAPI

from app.api.deps import get_current_user_id
from app.core.config import settings

app = FastAPI(title=settings.PROJECT_NAME)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get(f"{settings.API_V1_STR}/orders")
def list_orders(user_id: str = Depends(get_current_user_id)) -> dict:
    return {"user": user_id, "orders": []}
