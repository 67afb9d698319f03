import os

from django.core.wsgi import get_wsgi_application

from safecare.config.runtime import tune_garbage_collection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecare.config.settings.production")
application = get_wsgi_application()
# After the application and its URLs are loaded: they live as long as the process.
tune_garbage_collection()
