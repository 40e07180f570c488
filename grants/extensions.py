"""Flask extensions, created unbound and initialised by the app factory."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect

from grants.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
talisman = Talisman()
# Pages in the language of the request (grants.pages.views.language chooses it).
babel = Babel()
# Limits are declared on the views that need them (grants.core.limits); the storage is
# RATELIMIT_STORAGE_URI's.
limiter = Limiter(key_func=get_remote_address)
