import os


class Config:
    SECRET_KEY = "flask-reports-dev"
    SQLALCHEMY_DATABASE_URI = "sqlite:///reports.db"
    EXPORT_BUCKET = "reports-exports"


class Development(Config):
    DEBUG = True


class Production(Config):
    SECRET_KEY = os.environ["SECRET_KEY"]
    SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
