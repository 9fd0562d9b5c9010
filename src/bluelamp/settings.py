"""Django settings for bluelamp.

Everything a force may want to change is read from the environment (``BLUELAMP_*``) with a
documented default; ``docs/settings.md`` lists them and a test checks that list is complete.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("BLUELAMP_VAR_DIR", Path.cwd() / "var"))

DEBUG = os.environ.get("BLUELAMP_DEBUG", "0") == "1"
# Production unless development is asked for by name (`bluelamp demo`, `make demo` and the test
# settings ask for it): a server someone forgot to configure is refused, not left open.
ENVIRONMENT = os.environ.get("BLUELAMP_ENVIRONMENT", "production")
if ENVIRONMENT not in ("production", "development"):
    raise ImproperlyConfigured(
        f"BLUELAMP_ENVIRONMENT is {ENVIRONMENT!r}: set it to production or development."
    )
DEVELOPMENT = ENVIRONMENT == "development"
DEVELOPMENT_SECRET = "dev-only-insecure-secret-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("BLUELAMP_SECRET_KEY", "").strip() or DEVELOPMENT_SECRET
if SECRET_KEY == DEVELOPMENT_SECRET and not DEVELOPMENT:
    raise ImproperlyConfigured(
        "BLUELAMP_SECRET_KEY is not set, and the development key is refused outside development."
        " Set BLUELAMP_SECRET_KEY to a long random value kept secret, for example the output of"
        " `python -c 'import secrets; print(secrets.token_urlsafe(50))'`, or, on a developer's"
        " machine only, set BLUELAMP_ENVIRONMENT=development."
    )

# The audit chain's key (audit/chain.py, docs/audit.md): every audit row's hash and every
# checkpoint is an HMAC under it. Kept out of the database, so whoever can rewrite the database
# cannot recompute the chain; refused in production unless set, as the secret key is.
DEVELOPMENT_AUDIT_KEY = "dev-only-audit-key-never-use-in-production"  # noqa: S105
if os.environ.get("BLUELAMP_AUDIT_KEY_FILE") and os.environ.get("BLUELAMP_AUDIT_KEY"):
    raise ImproperlyConfigured("Set BLUELAMP_AUDIT_KEY or BLUELAMP_AUDIT_KEY_FILE, not both.")
if os.environ.get("BLUELAMP_AUDIT_KEY_FILE"):
    try:
        BLUELAMP_AUDIT_KEY = Path(os.environ["BLUELAMP_AUDIT_KEY_FILE"]).read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(f"BLUELAMP_AUDIT_KEY_FILE cannot be read: {error}") from error
else:
    BLUELAMP_AUDIT_KEY = os.environ.get("BLUELAMP_AUDIT_KEY", DEVELOPMENT_AUDIT_KEY)
if ENVIRONMENT == "production" and BLUELAMP_AUDIT_KEY == DEVELOPMENT_AUDIT_KEY:
    raise ImproperlyConfigured(
        "Set BLUELAMP_AUDIT_KEY or BLUELAMP_AUDIT_KEY_FILE: the development audit key is refused."
    )
if len(BLUELAMP_AUDIT_KEY) < 32:
    raise ImproperlyConfigured("The audit key must be at least 32 characters (docs/audit.md).")
# Signed checkpoints of the audit chain, one line appended every few minutes by the worker
# (audit/checkpoints.py). Put it where the database's owner cannot rewrite it: docs/audit.md.
BLUELAMP_AUDIT_CHECKPOINT_FILE = os.environ.get(
    "BLUELAMP_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-checkpoints.jsonl")
)
BLUELAMP_AUDIT_CHECKPOINT_MINUTES = float(os.environ.get("BLUELAMP_AUDIT_CHECKPOINT_MINUTES", "5"))

ALLOWED_HOSTS = os.environ.get("BLUELAMP_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves its Swagger UI from local static files, not a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "bluelamp.accounts",
    "bluelamp.audit",
    "bluelamp.core",
    "bluelamp.people",
    "bluelamp.duties",
    "bluelamp.notify",
    "bluelamp.crime",
    "bluelamp.contact",
    "bluelamp.victims",
    "bluelamp.victims.portal",
    "bluelamp.administration",
    "bluelamp.safeguarding",
    "bluelamp.protection",
    "bluelamp.missing",
    "bluelamp.web",
    "bluelamp.synth",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bluelamp.accounts.headers.SecurityHeadersMiddleware",  # CSP and no-store (issue 14)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bluelamp.accounts.middleware.IdleTimeoutMiddleware",
    "bluelamp.ui.access.SignInRequiredMiddleware",
    "bluelamp.audit.middleware.AuditContextMiddleware",
    "bluelamp.audit.middleware.PurposeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bluelamp.urls"
WSGI_APPLICATION = "bluelamp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bluelamp.web.context.navigation",
            ],
            # {% load access %}: links shown only where the role may follow them (ui/).
            "libraries": {"access": "bluelamp.ui.access_tags", "words": "bluelamp.ui.words"},
        },
    },
]

# Storage: SQLite (WAL, foreign keys on, BEGIN IMMEDIATE for writes) by default;
# PostgreSQL when DATABASE_URL says so.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "bluelamp.core.sqlite",  # Django's, with a writer lock (core/sqlite/base.py)
            "NAME": os.environ.get("BLUELAMP_SQLITE_PATH", str(VAR_DIR / "bluelamp.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # mmap: pages read without a copy, which matters because every other writer's
                # commit empties a connection's own page cache; 256 MiB of the file at most,
                # shared with the OS page cache rather than private to the process.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
                    " PRAGMA mmap_size=268435456;"
                ),
            },
            "TEST": {"NAME": ":memory:"},  # named, so pytest-django leaves it alone under xdist
            # Kept open between requests, as PostgreSQL's is: opening one (its PRAGMAs and
            # Django's SQL functions) cost ~1.9 ms CPU per request (bench/crime_load.py).
            "CONN_MAX_AGE": 60,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"

# Sign-in lockout (CJIS 5.5.3 style): 5 failed attempts lock the account for 10 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("BLUELAMP_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("BLUELAMP_LOCKOUT_MINUTES", "10")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "bluelamp.accounts.views.locked_out"
AXES_VERBOSE = False

# Sessions end after this much inactivity (CJIS 5.5.5 style session lock), and at most after 12h.
SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("BLUELAMP_IDLE_MINUTES", "30")))
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEVELOPMENT
CSRF_COOKIE_SECURE = not DEVELOPMENT

# --- security headers (issue 14; accounts/headers.py) ---
# Everything from this server, nothing inline: no 'unsafe-inline' for scripts or styles (the
# pages have none; the victim portal's styles are a static file), data: images only for the
# icons the API docs (Swagger UI) draw from its own stylesheet. Not framed by anyone
# (clickjacking), forms post only here, no <base> rewriting, no plugins.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# HSTS: once a browser has seen the site over HTTPS it never uses plain HTTP for it again. Off
# in development (and with DEBUG) so that http://127.0.0.1 keeps working; a year by default
# otherwise. SecurityMiddleware sends it on HTTPS answers only.
SECURE_HSTS_SECONDS = (
    0
    if DEVELOPMENT or DEBUG
    else int(os.environ.get("BLUELAMP_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind a proxy that ends TLS, requests reach Django as plain HTTP: trust its
# X-Forwarded-Proto (only when the proxy sets it and strips any the client sent) so that HSTS
# and secure cookies follow what the browser really used.
if os.environ.get("BLUELAMP_TLS_PROXY", "0") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
OTP_TOTP_ISSUER = os.environ.get("BLUELAMP_FORCE_NAME", "bluelamp")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"  # shown in Europe/London, stored in UTC
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        # Each audit checkpoint as it is written (audit/checkpoints.py): a copy for the force's
        # log server, out of the database owner's reach.
        "bluelamp.audit.checkpoint": {"handlers": ["console"], "level": "INFO"},
    },
}

# Force identity: the prefix of every event reference, e.g. LC-20261123-00042.
BLUELAMP_FORCE_NAME = os.environ.get("BLUELAMP_FORCE_NAME", "Lancashire Constabulary (demo)")
BLUELAMP_FORCE_CODE = os.environ.get("BLUELAMP_FORCE_CODE", "LC")

# Roles that must state a purpose before reading personal data (DPA 2018 s62(3)(a): logs of
# consultation show the justification).
BLUELAMP_PURPOSE_REQUIRED_ROLES = os.environ.get(
    "BLUELAMP_PURPOSE_REQUIRED_ROLES", "auditor,analyst"
).split(",")

# Extra non-working days (ISO dates, comma-separated) on top of England and Wales bank holidays,
# e.g. a one-off bank holiday announced after the `holidays` package was released.
BLUELAMP_EXTRA_HOLIDAYS = [
    d for d in os.environ.get("BLUELAMP_EXTRA_HOLIDAYS", "").split(",") if d.strip()
]

# Supervision of allocated work (domain.md / issue 5): first review within 3 working days.
BLUELAMP_FIRST_REVIEW_WORKING_DAYS = int(os.environ.get("BLUELAMP_FIRST_REVIEW_WORKING_DAYS", "3"))
# --- investigation (crime/investigation/, issue 5) ---
# Supervisor reviews after the first, at this interval in days; the same window is the
# "supervisory footprint" (share of live crimes reviewed within it).
BLUELAMP_SUPERVISOR_REVIEW_DAYS = int(os.environ.get("BLUELAMP_SUPERVISOR_REVIEW_DAYS", "28"))
# An investigation with no update for this many days raises a duty to the supervisor.
BLUELAMP_NO_UPDATE_DAYS = int(os.environ.get("BLUELAMP_NO_UPDATE_DAYS", "28"))
# Pre-charge bail: initial period in months (domain.md §7, PCSC 2022), and how many days before
# the bail end date the officer's duty to review it falls due.
BLUELAMP_PRE_CHARGE_BAIL_MONTHS = int(os.environ.get("BLUELAMP_PRE_CHARGE_BAIL_MONTHS", "3"))
BLUELAMP_BAIL_REVIEW_DAYS_BEFORE = int(os.environ.get("BLUELAMP_BAIL_REVIEW_DAYS_BEFORE", "7"))

# --- contact: calls, THRIVE grading, incidents, appointments (contact/) ---
# domain.md 2.2: response targets are per-force configuration; the defaults are the typical ones
# (emergency 15 min urban / 20 min rural, priority 60 min, scheduled within 48 h). A district is
# rural for the emergency target when its unit code is listed in BLUELAMP_RURAL_DISTRICTS.
BLUELAMP_EMERGENCY_URBAN_MINUTES = int(os.environ.get("BLUELAMP_EMERGENCY_URBAN_MINUTES", "15"))
BLUELAMP_EMERGENCY_RURAL_MINUTES = int(os.environ.get("BLUELAMP_EMERGENCY_RURAL_MINUTES", "20"))
BLUELAMP_RURAL_DISTRICTS = [
    c.strip() for c in os.environ.get("BLUELAMP_RURAL_DISTRICTS", "").split(",") if c.strip()
]
BLUELAMP_PRIORITY_MINUTES = int(os.environ.get("BLUELAMP_PRIORITY_MINUTES", "60"))
BLUELAMP_SCHEDULED_HOURS = int(os.environ.get("BLUELAMP_SCHEDULED_HOURS", "48"))
BLUELAMP_RESOLUTION_HOURS = int(os.environ.get("BLUELAMP_RESOLUTION_HOURS", "24"))
BLUELAMP_MISSED_TARGET_REVIEW_MINUTES = int(
    os.environ.get("BLUELAMP_MISSED_TARGET_REVIEW_MINUTES", "60")
)
# Flags shown to the call handler: the look-back periods.
BLUELAMP_REPEAT_CALLER_SHORT_DAYS = int(os.environ.get("BLUELAMP_REPEAT_CALLER_SHORT_DAYS", "30"))
BLUELAMP_REPEAT_CALLER_LONG_DAYS = int(os.environ.get("BLUELAMP_REPEAT_CALLER_LONG_DAYS", "90"))
BLUELAMP_REPEAT_VICTIM_DAYS = int(os.environ.get("BLUELAMP_REPEAT_VICTIM_DAYS", "365"))
BLUELAMP_REPEAT_LOCATION_DAYS = int(os.environ.get("BLUELAMP_REPEAT_LOCATION_DAYS", "90"))
# --- victims: Victims' Code, referrals, satisfaction (victims/) ---
# Where structured referrals to victim support services go (Victims' Code right 4).
BLUELAMP_VICTIM_SUPPORT_EMAIL = os.environ.get(
    "BLUELAMP_VICTIM_SUPPORT_EMAIL", "referrals@victim-support.example"
)
# domain.md 10 (2018 report): crime data reaches victim services within 24 hours. Referrals
# slower than this are marked on the supervisors' page (the duty itself is the Code's 2 WD).
BLUELAMP_VICTIM_SERVICES_FEED_HOURS = int(
    os.environ.get("BLUELAMP_VICTIM_SERVICES_FEED_HOURS", "24")
)
# Enhanced-rights reasons whose victims are referred without recorded consent unless they decline
# (opt-out); everyone else is referred once they consent (victims/services.py explains).
BLUELAMP_REFERRAL_WITHOUT_CONSENT = [
    r
    for r in os.environ.get("BLUELAMP_REFERRAL_WITHOUT_CONSENT", "most_serious_crime").split(",")
    if r.strip()
]
# domain.md 1.3 PERSISTENTLY_TARGETED (partial there): victim of this many crimes (this one
# included) reported within this many months.
BLUELAMP_PERSISTENTLY_TARGETED_CRIMES = int(
    os.environ.get("BLUELAMP_PERSISTENTLY_TARGETED_CRIMES", "3")
)
BLUELAMP_PERSISTENTLY_TARGETED_MONTHS = int(
    os.environ.get("BLUELAMP_PERSISTENTLY_TARGETED_MONTHS", "12")
)
# The address victims reach bluelamp's public pages on (survey links in messages).
BLUELAMP_SITE_URL = os.environ.get("BLUELAMP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long a satisfaction survey link works.
BLUELAMP_SURVEY_VALID_DAYS = int(os.environ.get("BLUELAMP_SURVEY_VALID_DAYS", "60"))

# --- safeguarding: PVP referrals, DASH, the MASH, MARAC (safeguarding/) ---
# The risk tool in use (safeguarding/risk.py; domain.md 3.1: pluggable, DASH today).
BLUELAMP_RISK_TOOL = os.environ.get("BLUELAMP_RISK_TOOL", "dash")
# domain.md 3.3: 14+ yes answers is high risk (national); 10-13 medium is local banding.
BLUELAMP_DASH_HIGH_FROM = int(os.environ.get("BLUELAMP_DASH_HIGH_FROM", "14"))
BLUELAMP_DASH_MEDIUM_FROM = int(os.environ.get("BLUELAMP_DASH_MEDIUM_FROM", "10"))
# Where a referral goes when no hub covers the subject's home area (never nowhere).
BLUELAMP_MASH_DEFAULT_HUB = os.environ.get("BLUELAMP_MASH_DEFAULT_HUB", "central")
# Hours the MASH has to triage a referral, by risk level (force practice).
BLUELAMP_MASH_TRIAGE_HOURS_HIGH = int(os.environ.get("BLUELAMP_MASH_TRIAGE_HOURS_HIGH", "24"))
BLUELAMP_MASH_TRIAGE_HOURS_MEDIUM = int(os.environ.get("BLUELAMP_MASH_TRIAGE_HOURS_MEDIUM", "72"))
BLUELAMP_MASH_TRIAGE_HOURS_STANDARD = int(
    os.environ.get("BLUELAMP_MASH_TRIAGE_HOURS_STANDARD", "120")
)
# High risk: the district safeguarding hub's duty; medium and standard: the attending officer's.
BLUELAMP_HIGH_RISK_HUB_HOURS = int(os.environ.get("BLUELAMP_HIGH_RISK_HUB_HOURS", "24"))
BLUELAMP_SAFEGUARDING_PLAN_HOURS = int(os.environ.get("BLUELAMP_SAFEGUARDING_PLAN_HOURS", "24"))
BLUELAMP_FOLLOW_UP_VISIT_DAYS = int(os.environ.get("BLUELAMP_FOLLOW_UP_VISIT_DAYS", "7"))
BLUELAMP_MARAC_LISTING_DAYS = int(os.environ.get("BLUELAMP_MARAC_LISTING_DAYS", "14"))
BLUELAMP_IDVA_EMAIL = os.environ.get("BLUELAMP_IDVA_EMAIL", "referrals@idva.example")
# domain.md 3.4 POTENTIAL_ESCALATION: "commonly 3 or more incidents in 12 months; varies locally".
BLUELAMP_MARAC_ESCALATION_INCIDENTS = int(
    os.environ.get("BLUELAMP_MARAC_ESCALATION_INCIDENTS", "3")
)
# domain.md 3.4 REPEAT (12 months ✅ S22) and 3.4's 16-and-over rule (⚠️ S23).
BLUELAMP_MARAC_REPEAT_MONTHS = int(os.environ.get("BLUELAMP_MARAC_REPEAT_MONTHS", "12"))
BLUELAMP_MARAC_MIN_AGE = int(os.environ.get("BLUELAMP_MARAC_MIN_AGE", "16"))
BLUELAMP_CHILDRENS_SAFEGUARDING_QUEUE = os.environ.get(
    "BLUELAMP_CHILDRENS_SAFEGUARDING_QUEUE", "childrens-safeguarding"
)
# Attachments: the largest file taken, and the types accepted (read from the file's bytes).
BLUELAMP_ATTACHMENT_MAX_BYTES = int(os.environ.get("BLUELAMP_ATTACHMENT_MAX_BYTES", "10485760"))
BLUELAMP_ATTACHMENT_TYPES = [
    t.strip()
    for t in os.environ.get(
        "BLUELAMP_ATTACHMENT_TYPES", "image/jpeg,image/png,image/heic,image/webp,application/pdf"
    ).split(",")
    if t.strip()
]
# Demand and capacity: days shown, and the run of days of intake above throughput that warns.
BLUELAMP_MASH_DEMAND_DAYS = int(os.environ.get("BLUELAMP_MASH_DEMAND_DAYS", "28"))
BLUELAMP_MASH_WARNING_RUN_DAYS = int(os.environ.get("BLUELAMP_MASH_WARNING_RUN_DAYS", "3"))
# --- protection: Operation Encompass, DVPN/DVPO, Clare's Law (protection/) ---
# domain-addendum.md 1.4: "before the start of the next school day" is the scheme's target (⚠️),
# kept configurable: the time a school day starts.
BLUELAMP_ENCOMPASS_SCHOOL_DAY_STARTS = os.environ.get(
    "BLUELAMP_ENCOMPASS_SCHOOL_DAY_STARTS", "08:30"
)
# The referral concerns that are domestic abuse for Operation Encompass.
BLUELAMP_ENCOMPASS_CONCERNS = [
    c.strip()
    for c in os.environ.get("BLUELAMP_ENCOMPASS_CONCERNS", "domestic_abuse").split(",")
    if c.strip()
]
# Scope (addendum 1.4 ⚠️): reception age (about 4-5) up to 17.
BLUELAMP_ENCOMPASS_MIN_AGE = int(os.environ.get("BLUELAMP_ENCOMPASS_MIN_AGE", "4"))
BLUELAMP_ENCOMPASS_MAX_AGE = int(os.environ.get("BLUELAMP_ENCOMPASS_MAX_AGE", "17"))
# A notice's email not sent this long after it was queued falls back (the local authority is
# emailed and the police phone the school).
BLUELAMP_ENCOMPASS_FALLBACK_MINUTES = int(
    os.environ.get("BLUELAMP_ENCOMPASS_FALLBACK_MINUTES", "30")
)
# The local authority (reference/data/local_authorities.csv) told about a home-educated child.
BLUELAMP_ENCOMPASS_DEFAULT_LOCAL_AUTHORITY = os.environ.get(
    "BLUELAMP_ENCOMPASS_DEFAULT_LOCAL_AUTHORITY", "lancashire"
)

# DVPN/DVPO (domain-addendum.md 1.1): the lowest rank that may authorise a DVPN (CSA 2010
# s.24(1) ✅: superintendent), the hours within which the DVPO application is heard (✅ 48), the
# hours arrest enquiries after a breach are due in (a force setting: no national limit found), and
# how far back the daily risk meeting lists breaches.
BLUELAMP_DVPN_AUTHORISING_RANK = os.environ.get("BLUELAMP_DVPN_AUTHORISING_RANK", "superintendent")
BLUELAMP_DVPO_HEARING_HOURS = float(os.environ.get("BLUELAMP_DVPO_HEARING_HOURS", "48"))
BLUELAMP_DVPO_BREACH_ARREST_HOURS = float(os.environ.get("BLUELAMP_DVPO_BREACH_ARREST_HOURS", "24"))
BLUELAMP_RISK_MEETING_HOURS = float(os.environ.get("BLUELAMP_RISK_MEETING_HOURS", "24"))

# Clare's Law (DVDS): the panel decides within this many days of the application (domain.md 7;
# ⚠️ domain-addendum.md 1.3).
BLUELAMP_DVDS_DECISION_DAYS = int(os.environ.get("BLUELAMP_DVDS_DECISION_DAYS", "28"))

# --- missing people (missing/) ---
# domain.md 10 (2018 report): missing-from-home reports checked hourly. No national review
# frequency by grade was found (domain-addendum.md 1.6 ❌), so each grade is a force setting.
BLUELAMP_MISSING_REVIEW_HOURS_HIGH = float(
    os.environ.get("BLUELAMP_MISSING_REVIEW_HOURS_HIGH", "1")
)
BLUELAMP_MISSING_REVIEW_HOURS_MEDIUM = float(
    os.environ.get("BLUELAMP_MISSING_REVIEW_HOURS_MEDIUM", "1")
)
BLUELAMP_MISSING_REVIEW_HOURS_LOW = float(os.environ.get("BLUELAMP_MISSING_REVIEW_HOURS_LOW", "1"))
# domain.md 11 (⚠️ DfE guidance): a child's independent return interview offered within 72 hours.
BLUELAMP_MISSING_RETURN_INTERVIEW_HOURS = float(
    os.environ.get("BLUELAMP_MISSING_RETURN_INTERVIEW_HOURS", "72")
)
# The police safe-and-well check after a return (domain.md 11): no time limit found; a force
# setting.
BLUELAMP_MISSING_SAFE_AND_WELL_HOURS = float(
    os.environ.get("BLUELAMP_MISSING_SAFE_AND_WELL_HOURS", "24")
)
# "Repeat missing": this many episodes (this one included) within this many days. No national
# figure in domain.md: a force setting.
BLUELAMP_MISSING_REPEAT_EPISODES = int(os.environ.get("BLUELAMP_MISSING_REPEAT_EPISODES", "3"))
BLUELAMP_MISSING_REPEAT_DAYS = int(os.environ.get("BLUELAMP_MISSING_REPEAT_DAYS", "365"))

# Crime quality assurance (issue 5): the investigations management unit checks every new crime
# within this many working days; an officer corrects a returned record within the second.
BLUELAMP_QA_CHECK_WORKING_DAYS = int(os.environ.get("BLUELAMP_QA_CHECK_WORKING_DAYS", "3"))
BLUELAMP_QA_CORRECTION_WORKING_DAYS = int(
    os.environ.get("BLUELAMP_QA_CORRECTION_WORKING_DAYS", "5")
)

# The background worker (``bluelamp worker``): what it runs each cycle, and how long a claimed
# outbox row stays claimed before another worker may take it over.
BLUELAMP_WORKER_TASKS = [
    "bluelamp.duties.worker.drain_outbox",
    "bluelamp.duties.worker.escalate_overdue",
    "bluelamp.notify.worker.deliver_due",
    "bluelamp.audit.worker.write_checkpoint",  # at most every BLUELAMP_AUDIT_CHECKPOINT_MINUTES
    "bluelamp.protection.delivery.follow_up_notices",  # Encompass: delivered, or the fallback
]
BLUELAMP_WORKER_LEASE_SECONDS = int(os.environ.get("BLUELAMP_WORKER_LEASE_SECONDS", "60"))

# Notifications (notify/): email through SMTP, text messages through a provider class.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("BLUELAMP_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("BLUELAMP_EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("BLUELAMP_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BLUELAMP_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("BLUELAMP_EMAIL_TLS", "0") == "1"
BLUELAMP_EMAIL_FROM = os.environ.get("BLUELAMP_EMAIL_FROM", "bluelamp@police.example")
BLUELAMP_EMAIL_TIMEOUT = int(os.environ.get("BLUELAMP_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = BLUELAMP_EMAIL_FROM
BLUELAMP_SMS_FILE = os.environ.get("BLUELAMP_SMS_FILE", str(VAR_DIR / "sms.jsonl"))
BLUELAMP_NOTIFY_PROVIDERS = {
    "email": os.environ.get("BLUELAMP_EMAIL_PROVIDER", "bluelamp.notify.channels.SmtpEmail"),
    "sms": os.environ.get("BLUELAMP_SMS_PROVIDER", "bluelamp.notify.channels.FileSms"),
}
BLUELAMP_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("BLUELAMP_NOTIFY_MAX_ATTEMPTS", "8"))

NINJA_PAGINATION_MAX_LIMIT = 100

# --- victims: the victim portal, "track my crime" (victims/portal/) ---
# Where victims sign in; put in the emails that tell them of an update.
BLUELAMP_PORTAL_URL = os.environ.get("BLUELAMP_PORTAL_URL", "http://127.0.0.1:8000/track/")
# Issue 14: wrong tries at the portal (victims/portal/limits.py). Per crime reference, whoever
# makes them: a few are free, then each one makes the next wait twice as long, up to a cap; the
# count is forgotten after a quiet spell (or a sign-in, or an officer's unlock). Per client
# address, whatever the reference: this many in the window and that address waits.
BLUELAMP_PORTAL_FREE_FAILURES = int(os.environ.get("BLUELAMP_PORTAL_FREE_FAILURES", "5"))
BLUELAMP_PORTAL_BACKOFF_FIRST_SECONDS = int(
    os.environ.get("BLUELAMP_PORTAL_BACKOFF_FIRST_SECONDS", "60")
)
BLUELAMP_PORTAL_BACKOFF_MAX_MINUTES = int(
    os.environ.get("BLUELAMP_PORTAL_BACKOFF_MAX_MINUTES", "60")
)
BLUELAMP_PORTAL_FAILURES_FORGOTTEN_HOURS = int(
    os.environ.get("BLUELAMP_PORTAL_FAILURES_FORGOTTEN_HOURS", "24")
)
BLUELAMP_PORTAL_ADDRESS_FAILURES = int(os.environ.get("BLUELAMP_PORTAL_ADDRESS_FAILURES", "20"))
BLUELAMP_PORTAL_ADDRESS_WINDOW_MINUTES = int(
    os.environ.get("BLUELAMP_PORTAL_ADDRESS_WINDOW_MINUTES", "60")
)
# Behind a reverse proxy every victim arrives from the proxy's address: name the request header
# (as in request.META, e.g. HTTP_X_FORWARDED_FOR) whose right-most address the proxy sets.
BLUELAMP_PORTAL_CLIENT_ADDRESS_HEADER = os.environ.get("BLUELAMP_PORTAL_CLIENT_ADDRESS_HEADER", "")
BLUELAMP_PORTAL_IDLE_MINUTES = int(os.environ.get("BLUELAMP_PORTAL_IDLE_MINUTES", "15"))
BLUELAMP_PORTAL_CODE_VALID_DAYS = int(os.environ.get("BLUELAMP_PORTAL_CODE_VALID_DAYS", "28"))
# A victim may ask for a new code by their own channel at most once in this many minutes.
BLUELAMP_PORTAL_NEW_CODE_MINUTES = int(os.environ.get("BLUELAMP_PORTAL_NEW_CODE_MINUTES", "15"))
# The six-digit code texted as the second check when no date of birth is recorded.
BLUELAMP_PORTAL_PHONE_CODE_MINUTES = int(os.environ.get("BLUELAMP_PORTAL_PHONE_CODE_MINUTES", "10"))
# Force practice (not a Victims' Code limit): the officer in case replies to a victim's portal
# message within 2 working days.
BLUELAMP_PORTAL_REPLY_WORKING_DAYS = int(os.environ.get("BLUELAMP_PORTAL_REPLY_WORKING_DAYS", "2"))
# Victims' Code right 4: support services shown in the portal, "name|phone|web address" entries
# separated by ";".
BLUELAMP_PORTAL_SUPPORT_SERVICES = [
    dict(zip(("name", "phone", "web"), (part.strip() for part in entry.split("|")), strict=False))
    for entry in os.environ.get(
        "BLUELAMP_PORTAL_SUPPORT_SERVICES",
        "Victim Support|0808 16 89 111|https://www.victimsupport.org.uk;"
        "National Domestic Abuse Helpline|0808 2000 247|https://www.nationaldahelpline.org.uk;"
        "Samaritans|116 123|https://www.samaritans.org",
    ).split(";")
    if entry.strip()
]

# Lockout is per account (CJIS 5.5.3), not per address: many officers share a station's address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- people (matching) ---
# Candidates scored per nominal search, the best-keyed first (bench/search_bench.py: on 1,000,000
# synthetic nominals the planted variant was among the best-keyed 100 in every sampled search).
BLUELAMP_MATCH_CANDIDATES = int(os.environ.get("BLUELAMP_MATCH_CANDIDATES", "100"))
# Batch de-duplication skips blocks (people sharing one key) larger than this: each record costs
# about the sum of its blocks' sizes, so this bounds the run. 30: a million nominals in under 10
# minutes on 2 cores at recall 0.987 (200 needed about 25 CPU-minutes), and the same precision
# and recall as 200 on every public set (FEBRL 1-4, fake_1000): bench/README.md.
BLUELAMP_DEDUPE_MAX_BLOCK = int(os.environ.get("BLUELAMP_DEDUPE_MAX_BLOCK", "30"))
# Batch de-duplication queues pairs at or above this match probability for a reviewer, and
# proposes as one group only records held together by links at or above the group threshold
# (people/clusters.py): measured calibration in bench/README.md, "Nominal matching".
BLUELAMP_DEDUPE_REVIEW_THRESHOLD = float(os.environ.get("BLUELAMP_DEDUPE_REVIEW_THRESHOLD", "0.5"))
BLUELAMP_DEDUPE_GROUP_THRESHOLD = float(os.environ.get("BLUELAMP_DEDUPE_GROUP_THRESHOLD", "0.9"))

# Match-on-entry (people/entry.py): an existing record is offered before a new person is created
# when its match probability is at least this.
BLUELAMP_ENTRY_OFFER_PROBABILITY = float(os.environ.get("BLUELAMP_ENTRY_OFFER_PROBABILITY", "0.01"))
