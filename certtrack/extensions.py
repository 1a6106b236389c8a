"""Flask extensions, created unbound and attached in create_app()."""

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from certtrack.models.base import Base
from certtrack.schemas import ErrorSchema

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
babel = Babel()
bootstrap = Bootstrap5()


class RestApi(Api):
    """flask-smorest documenting the one error shape as every operation's default answer."""

    ERROR_SCHEMA = ErrorSchema


api = RestApi(
    spec_kwargs={
        "title": "certtrack API",
        "version": "1.0",
        "openapi_version": "3.1.0",
        "info": {
            "description": "Clusters on their way to the cluster-excellence labels. Every "
            'error is {"error": {"code", "message", "fields"}}.'
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
)
