from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="CLINIC_")

    project_name: str = "Clinic API"
    database_url: str = "postgresql://clinic:clinic@localhost/clinic"
    jwt_secret: str = "{{fake:hex:64}}"
    jwt_algorithm: str = "HS256"
    access_token_expire_minutes: int = 30
    pharmacy_api_key: str = ""


settings = Settings()
