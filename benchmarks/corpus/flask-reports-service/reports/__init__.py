from flask import Flask


def create_app(config_object: str = "reports.config.Development") -> Flask:
    app = Flask(__name__)
    app.config.from_object(config_object)

    from reports.views import bp

    app.register_blueprint(bp)
    return app
