"""Settings shared by every environment. Everything that differs between machines comes from the
environment: DATABASE_URL, REDIS_URL, STRIPE_*, GENERATION_*, C2PA_*, SECRET_KEY."""
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-change-me-" + "x" * 32)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Where the runtime keeps what it makes: uploads, outputs, the built-in model, dev certificates.
VAR_DIR = Path(env("RIGHTSCAST_VAR_DIR", default=str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "axes",  # the persistent login lockout (accounts/adapter.py)
    "accounts",
    "webhooks",
    "licensing",
    "marketplace",
    "generation",
    "agents",
    "campaigns",
    "demo",  # seed_demo: composes every app, so it sits above them
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.upload_stream.UploadLimitsMiddleware",  # before anything reads a body (CSRF reads the form)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.display.ViewerLocaleMiddleware",  # money in the viewer's locale
    "accounts.middleware.RetryAfterMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: a locked-out sign-in becomes our 429
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "generation.context_processors.runtime_banner",
                "accounts.context_processors.navigation",
            ],
            "builtins": ["accounts.templatetags.display"],  # money, channel and territory names everywhere
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'rightscast.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default writes from the web thread and the in-process worker at once: take the
    # write lock when a transaction begins (no "database is locked" upgrades) and wait for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DATABASES["default"].setdefault("CONN_MAX_AGE", 0)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Django binds parameters on the client and never prepares its own statements; a threshold
    # lets the one statement that asks for it (the policy's remix chain,
    # licensing.services.evaluation) be prepared once per connection. Off for a pooler that
    # cannot hold prepared statements (PgBouncer in transaction mode before 1.21).
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.adapter.LockoutBackend",  # first: refuses a locked-out account before any password check
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"

# django-allauth: e-mail is the login, and must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Rightscast"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"  # the lockout on every password check
# The API signs in through allauth's headless "app" flow (verified e-mail, two-factor, lockouts);
# its last step hands out an API token (accounts.tokens). The browser pages stay allauth's own.
HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("app",)
HEADLESS_TOKEN_STRATEGY = "accounts.tokens.ApiTokenStrategy"
HEADLESS_SERVE_SPECIFICATION = True
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)
# Behind a load balancer: how many proxies append to X-Forwarded-For (the limits count per client IP).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Limits that guard security (accounts.throttle: atomic counters in the cache, Redis in production).
# "<count>/<period>/<key>"; key ip, user (the account, else the IP) or key (the e-mail being tried).
SECURITY_LIMITS = {
    "login": "5/900s/key,30/900s/ip",  # attempts; a successful sign-in gives its attempt back
    "verify": "20/m/ip,200/h/ip",  # the public verify page and API
    "public": "30/m/ip,300/h/ip",  # other public endpoints (misuse reports, …)
    "token": "20/h/user",  # minting API tokens
}
# django-axes: the persistent lockout behind every authenticate() (web, headless API, admin, and any
# other caller): failures per account and per address recorded in the database (AccessAttempt, visible in the
# admin, `manage.py axes_reset_username` to lift one), 10 in a row lock the account (or the address) for an hour;
# a completed sign-in (after two-factor) clears them. The atomic "login" counters above stay the
# limit that parallel guesses cannot race; axes catches the slow guesser the 15-minute windows let through.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(hours=env.float("AXES_COOLOFF_HOURS", default=1.0))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # an account, or an address, with that many failures in a row
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.adapter.axes_username"
AXES_CLIENT_IP_CALLABLE = "accounts.adapter.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.adapter.axes_lockout_response"
AXES_VERBOSE = False
# allauth's own limits (sign-up, password reset, e-mail confirmation, …) use the same cache.
ACCOUNT_RATE_LIMITS = {"signup": "10/m/ip,50/h/ip"}
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Rightscast <noreply@rightscast.local>")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A strict Content-Security-Policy on every answer (django-csp): scripts only from this origin or
# with the request's nonce (no inline script in our templates: JS lives in static/), no plugins, no
# framing, forms post only here. Style attributes stay allowed (style-src-attr); <style> needs a nonce.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Uploads: bounded in bytes while the body streams, in decoded pixels per request, in time and in
# concurrency (accounts/uploads.py, accounts/upload_stream.py). Peak memory growth of any upload
# stays under 300 MB (tests/accounts/test_upload_fuzz.py measures it).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # a body that is not a file upload (JSON, form fields)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
DATA_UPLOAD_MAX_NUMBER_FILES = 8
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440  # larger files stream to a temporary file
FILE_UPLOAD_HANDLERS = [
    "accounts.upload_stream.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)  # one file
UPLOAD_MAX_REQUEST_BYTES = env.int("UPLOAD_MAX_REQUEST_BYTES", default=40 * 1024 * 1024)  # one request, all files
UPLOAD_MAX_PIXELS = env.int("UPLOAD_MAX_PIXELS", default=40_000_000)  # a still's declared size
UPLOAD_MAX_FRAME_PIXELS = env.int("UPLOAD_MAX_FRAME_PIXELS", default=3840 * 2160)  # a video frame
UPLOAD_WORKING_PIXELS = env.int("UPLOAD_WORKING_PIXELS", default=2048 * 2048)  # larger stills are reduced to this
UPLOAD_PIXEL_BUDGET = env.int("UPLOAD_PIXEL_BUDGET", default=64_000_000)  # decoded pixels per request, all frames
UPLOAD_DECODE_SECONDS = env.float("UPLOAD_DECODE_SECONDS", default=20.0)
# Uploading requests decoding at once, across every web process sharing the cache (Redis in
# production); each holds its slot as a lease, so a crashed process's slot comes back after it.
UPLOAD_HEAVY_CONCURRENCY = env.int("UPLOAD_HEAVY_CONCURRENCY", default=2)
UPLOAD_HEAVY_LEASE_SECONDS = env.float("UPLOAD_HEAVY_LEASE_SECONDS", default=120.0)
UPLOAD_MAX_FILES = 8

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ApiTokenAuthentication",  # first: a 401 names the Bearer scheme
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rightscast API",
    "DESCRIPTION": "License likenesses and IP for AI generation; generate under licence; verify outputs.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from the sidecar package: no CDN needed.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"DerivativesEnum": "licensing.models.LicenceTerms.Derivatives"},
}

# Redis switches on the real broker, channel layer and cache; without it everything runs in-process.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = None
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CELERY_BROKER_URL = "memory://"
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=CELERY_BROKER_URL)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ROUTES = {"generation.tasks.run_job": {"queue": "gpu"}}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULE = {
    "approvals-lapse": {"task": "generation.tasks.approvals_lapse", "schedule": 60.0},
    "licences-expire": {"task": "generation.tasks.licences_expire", "schedule": 300.0},
    "jobs-recover": {"task": "generation.tasks.jobs_recover", "schedule": 30.0},
    "webhooks-sweep": {"task": "webhooks.tasks.deliveries_sweep", "schedule": 60.0},
    "idempotency-keys-purge": {"task": "accounts.tasks.idempotency_keys_purge", "schedule": 3600.0},
}
# A running job's worker renews its lease at every step; a job whose lease runs out is taken over.
GENERATION_LEASE_SECONDS = env.int("GENERATION_LEASE_SECONDS", default=120)
GENERATION_MAX_ATTEMPTS = env.int("GENERATION_MAX_ATTEMPTS", default=3)
CONTENT_SCREENING_SEMANTIC = env.bool("CONTENT_SCREENING_SEMANTIC", default=True)
# Load the screening model when a serving process starts (rundev, runserver, daphne, workers).
CONTENT_SCREENING_PRELOAD = env.bool("CONTENT_SCREENING_PRELOAD", default=True)
# A deployment's stronger screen: a local transformers sequence-classification guard model directory.
CONTENT_SCREENING_GUARD_MODEL = env("CONTENT_SCREENING_GUARD_MODEL", default="")
CONTENT_SCREENING_GUARD_THRESHOLD = env.float("CONTENT_SCREENING_GUARD_THRESHOLD", default=0.5)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=1200)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=1500)

# Payments: with STRIPE_SECRET_KEY set, Stripe Checkout through the official SDK; else the offline backend.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Connect events (connected accounts: account.updated, their transfers) come to their own endpoint,
# /api/stripe/connect-webhook/, signed with this separate secret.
STRIPE_CONNECT_WEBHOOK_SECRET = env("STRIPE_CONNECT_WEBHOOK_SECRET", default="")
STRIPE_AUTOMATIC_TAX = env.bool("STRIPE_AUTOMATIC_TAX", default=False)  # Stripe Tax on Checkout (needs it set up at Stripe)
# A transfer whose outcome stays unknown (provider unreachable) is tried this many times, then the
# payout fails with the error shown to the payee and to finance, and the amount returns to the balance.
PAYOUT_MAX_ATTEMPTS = env.int("PAYOUT_MAX_ATTEMPTS", default=5)
# A campaign checkout's refund of lines not granted that the provider fails (refund.failed: the card
# closed, lost, declined) is asked for again under a new key this many times in all; a card that is
# gone fails every time, so a few attempts cover a transient decline, then finance pays the buyer
# another way (the bundle is listed with its error on the finance page).
BUNDLE_REFUND_MAX_ATTEMPTS = env.int("BUNDLE_REFUND_MAX_ATTEMPTS", default=3)
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")  # a local Stripe-shaped server in tests
PAYMENT_BACKEND = "stripe" if STRIPE_SECRET_KEY else "offline"
PLATFORM_FEE_BPS = env.int("PLATFORM_FEE_BPS", default=2000)
# Invoices (marketplace.services.invoices): the platform sells as merchant of record; its details
# head every invoice, numbered without gaps in its series.
INVOICE_SERIES = env("INVOICE_SERIES", default="RC")
# A refund's credit note is numbered in its own series, without gaps (marketplace.models.CreditNote).
CREDIT_NOTE_SERIES = env("CREDIT_NOTE_SERIES", default="RC-CN")
INVOICE_SELLER = {
    "name": env("INVOICE_SELLER_NAME", default="Rightscast"),
    "address": env("INVOICE_SELLER_ADDRESS", default=""),
    "country": env("INVOICE_SELLER_COUNTRY", default="GB"),
    "tax_id": env("INVOICE_SELLER_TAX_ID", default=""),
}
# Payouts (marketplace): a Celery beat run pays every ready payee owed at least the minimum.
PAYOUT_MINIMUM_MINOR = env.int("PAYOUT_MINIMUM_MINOR", default=1000)
PAYOUT_SCHEDULE_HOUR = env.int("PAYOUT_SCHEDULE_HOUR", default=3)  # UTC, daily
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE.update(
    {
        "marketplace-payout-run": {
            "task": "marketplace.tasks.payout_run_scheduled",
            "schedule": crontab(hour=PAYOUT_SCHEDULE_HOUR, minute=0),
        },
        "marketplace-payment-events-retry": {"task": "marketplace.tasks.payment_events_retry", "schedule": 300.0},
        "marketplace-refunds-pending": {"task": "marketplace.tasks.refunds_pending", "schedule": 300.0},
        "marketplace-provider-fees-sync": {"task": "marketplace.tasks.provider_fees_sync", "schedule": 900.0},
        # the rights core: notice periods' end, and guardians' wards turning 18 (daily)
        "licensing-notices-end": {"task": "licensing.tasks.notices_end", "schedule": 300.0},
        "licensing-minors-coming-of-age": {"task": "licensing.tasks.minors_coming_of_age", "schedule": crontab(hour=4, minute=0)},
        "licensing-licences-expiring": {"task": "licensing.tasks.licences_expiring", "schedule": 3600.0},
    }
)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Generation: the built-in development model unless GENERATION_MODEL_PATH points at a real one.
GENERATION_MODEL_PATH = env("GENERATION_MODEL_PATH", default="") or None
# Models an offer may name (per-offer model selection): {name: {RuntimeConfig field: value,
# "description": "..."}}, each field over the deployment's; e.g. {"flux-dev": {"model_path":
# "/models/flux-dev", "pipeline": "FluxPipeline", "steps": 28, "description": "FLUX.1 dev"}}.
GENERATION_MODELS = env.json("GENERATION_MODELS", default={})
# The server-sent events progress stream closes itself after this long (the client reconnects).
GENERATION_SSE_MAX_SECONDS = env.float("GENERATION_SSE_MAX_SECONDS", default=300.0)
GENERATION_SSE_POLL_SECONDS = env.float("GENERATION_SSE_POLL_SECONDS", default=0.5)
# The stream waits on the channel layer; with no push it re-reads the job after this long. 0: the
# poll interval with the in-memory layer (blind to other processes), 5 s with Redis (generation/sse.py).
GENERATION_SSE_FALLBACK_SECONDS = env.float("GENERATION_SSE_FALLBACK_SECONDS", default=0.0)
GENERATION_BUILTIN_MODEL_DIR = Path(env("GENERATION_BUILTIN_MODEL_DIR", default=str(VAR_DIR / "models" / "builtin")))
GENERATION_DEVICE = env("GENERATION_DEVICE", default="auto")
GENERATION_DTYPE = env("GENERATION_DTYPE", default="auto")
GENERATION_STEPS = env.int("GENERATION_STEPS", default=8)
GENERATION_SIZE = env.int("GENERATION_SIZE", default=256)
GENERATION_STRENGTH = env.float("GENERATION_STRENGTH", default=0.6)
# The runtime's pipeline registry and speed levers (generation/runtime; see RuntimeConfig for each).
GENERATION_PIPELINE = env("GENERATION_PIPELINE", default="auto")  # StableDiffusionPipeline | StableDiffusionXLPipeline | FluxPipeline | StableDiffusion3Pipeline
GENERATION_SCHEDULER = env("GENERATION_SCHEDULER", default="")  # a diffusers scheduler class; "" = the model's own
GENERATION_GUIDANCE_SCALE = env.float("GENERATION_GUIDANCE_SCALE", default=0.0)
GENERATION_LIKENESS = env("GENERATION_LIKENESS", default="auto")  # auto | ip_adapter | faceid | img2img
GENERATION_IP_ADAPTER_PATH = env("GENERATION_IP_ADAPTER_PATH", default="") or None  # else <model>/ip_adapter
GENERATION_IP_ADAPTER_WEIGHT_NAME = env("GENERATION_IP_ADAPTER_WEIGHT_NAME", default="")
GENERATION_IP_ADAPTER_IMAGE_ENCODER_PATH = env("GENERATION_IP_ADAPTER_IMAGE_ENCODER_PATH", default="") or None
GENERATION_IP_ADAPTER_SCALE = env.float("GENERATION_IP_ADAPTER_SCALE", default=0.6)
# The identity-preserving path (GENERATION_LIKENESS=faceid, or a GENERATION_MODELS entry with
# "likeness": "faceid"): an IP-Adapter FaceID folder, and an ONNX face-recognition model for its
# embeddings (empty: the development crop descriptor, which is not an identity model).
GENERATION_FACEID_ADAPTER_PATH = env("GENERATION_FACEID_ADAPTER_PATH", default="")
GENERATION_FACEID_WEIGHT_NAME = env("GENERATION_FACEID_WEIGHT_NAME", default="")
GENERATION_FACE_EMBEDDER_PATH = env("GENERATION_FACE_EMBEDDER_PATH", default="")
GENERATION_ATTENTION = env("GENERATION_ATTENTION", default="sdpa")  # sdpa | eager
GENERATION_CHANNELS_LAST = env("GENERATION_CHANNELS_LAST", default="auto")  # auto (on for CUDA) | on | off
GENERATION_COMPILE = env("GENERATION_COMPILE", default="off")  # off | regional | full
GENERATION_COMPILE_MODE = env("GENERATION_COMPILE_MODE", default="")  # torch.compile mode, e.g. max-autotune-no-cudagraphs
GENERATION_VAE_SLICING = env.bool("GENERATION_VAE_SLICING", default=True)
GENERATION_PREVIEW_EVERY = env.int("GENERATION_PREVIEW_EVERY", default=4)  # steps between tiny-VAE previews; 0 = none
GENERATION_PREVIEW_MIN_SECONDS = env.float("GENERATION_PREVIEW_MIN_SECONDS", default=-1.0)  # -1: every k steps on a GPU, at most every 2 s elsewhere
GENERATION_THREADS = env.int("GENERATION_THREADS", default=0)  # torch CPU threads; 0 = the cores the worker may use
GENERATION_POSTPROCESS_THREAD = env("GENERATION_POSTPROCESS_THREAD", default="auto")  # auto (on a GPU) | on | off: mark, sign, store beside the next batch
GENERATION_PREVIEW_VAE_PATH = env("GENERATION_PREVIEW_VAE_PATH", default="") or None  # else <model>/vae_tiny
GENERATION_MAX_BATCH_SIZE = env.int("GENERATION_MAX_BATCH_SIZE", default=4)  # requests per pipeline call
GENERATION_MAX_BATCH_PIXELS = env.int("GENERATION_MAX_BATCH_PIXELS", default=0)  # memory budget per call; 0 = none
GENERATION_VIDEO_MODEL_PATH = env("GENERATION_VIDEO_MODEL_PATH", default="") or None  # else the image model
GENERATION_VIDEO_PIPELINE = env("GENERATION_VIDEO_PIPELINE", default="auto")  # auto | AnimateDiffPipeline | LTXPipeline | WanPipeline
GENERATION_MEMORY_BUDGET_MB = env.int("GENERATION_MEMORY_BUDGET_MB", default=0)  # weights kept warm (LRU); 0 = no limit
GENERATION_VIDEO_MOTION_ADAPTER_PATH = env("GENERATION_VIDEO_MOTION_ADAPTER_PATH", default="") or None
GENERATION_VIDEO_FRAMES = env.int("GENERATION_VIDEO_FRAMES", default=16)
GENERATION_VIDEO_FPS = env.int("GENERATION_VIDEO_FPS", default=8)
GENERATION_VIDEO_SIZE = env.int("GENERATION_VIDEO_SIZE", default=0)  # 0 = GENERATION_SIZE
GENERATION_VIDEO_STEPS = env.int("GENERATION_VIDEO_STEPS", default=0)  # 0 = GENERATION_STEPS

# Provenance: a watermark key (derived from SECRET_KEY unless set) and the C2PA signer.
WATERMARK_KEY = env("WATERMARK_KEY", default="")
C2PA_DEV_DIR = Path(env("C2PA_DEV_DIR", default=str(VAR_DIR / "c2pa")))
C2PA_CERT_CHAIN = env("C2PA_CERT_CHAIN", default="")
C2PA_PRIVATE_KEY = env("C2PA_PRIVATE_KEY", default="")
C2PA_TRUST_ANCHORS = env("C2PA_TRUST_ANCHORS", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_client_traceback": {"()": "accounts.log_filters.NoClientTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_client_traceback"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler would print every request line a second time.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# Outgoing webhooks (webhooks/): attempts, exponential backoff (base x 2^(n-1)), per-attempt timeout,
# and whether receivers on private or loopback addresses are allowed (development and tests only).
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_BACKOFF_SECONDS = env.float("WEBHOOK_BACKOFF_SECONDS", default=30.0)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)
# Networks (CIDR) a delivery may reach although they are not public; nothing by default.
WEBHOOK_ALLOWED_NETWORKS = env.list("WEBHOOK_ALLOWED_NETWORKS", default=[])
# Idempotency-Key: how long a retry waits for the first request's answer, and when a claim whose
# request never finished (its process died) may be taken over.
IDEMPOTENCY_WAIT_SECONDS = env.float("IDEMPOTENCY_WAIT_SECONDS", default=30.0)
IDEMPOTENCY_STALE_SECONDS = env.int("IDEMPOTENCY_STALE_SECONDS", default=600)
# A key holds its first answer this long; then it is a new key, and beat deletes the old row.
IDEMPOTENCY_KEY_TTL_HOURS = env.float("IDEMPOTENCY_KEY_TTL_HOURS", default=24.0)
