# Run `make` for the list of targets. Needs GNU make and Python 3.11+ (override with PYTHON=...).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEMO_ADDR ?= 127.0.0.1:8000

.DEFAULT_GOAL := help
.PHONY: help venv demo test browser gettext bench lint check

help:
	@echo "make demo    set up a demo database and serve it at http://$(DEMO_ADDR)"
	@echo "make test    run the tests (PYTEST_ARGS=... to pass options to pytest)"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make check   Django system checks; fail on model changes without a migration"
	@echo "make bench   timing of the computations at scale (BENCH_ARGS=...)"
	@echo "make venv    create $(VENV) and install requirements.txt (only when it changed)"

venv: $(VENV)/.installed

# The stamp is newer than requirements.txt once that file's pins are installed.
$(VENV)/.installed: requirements.txt
	@test -x $(BIN)/python || { \
		$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }; \
		echo "$(PYTHON) -m venv $(VENV)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

demo: venv
	$(MANAGE) migrate --noinput
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1; then \
		echo "$(MANAGE) compilemessages"; $(MANAGE) compilemessages --ignore=$(VENV); fi
	$(MANAGE) demo_data
	$(MANAGE) demo_users
	$(MANAGE) demo_campaign
	$(MANAGE) runserver $(DEMO_ADDR)

test: venv browser gettext
	$(BIN)/pytest $(PYTEST_ARGS)

# The browser tests drive Debian's chromium (never a downloaded browser); Chinese pages need a
# CJK font to be readable in their screenshots. Installed with apt-get when missing.
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -e $(CJK_FONT) ]; then \
		echo "installing chromium and fonts-noto-cjk with apt-get"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo -n"; fi; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; \
	fi

# The catalogue test runs makemessages, which needs GNU gettext (xgettext, msgmerge); msgfmt
# compiles the catalogue. Installed with apt-get when missing.
gettext:
	@if ! command -v xgettext >/dev/null 2>&1 || ! command -v msgfmt >/dev/null 2>&1; then \
		echo "installing gettext with apt-get"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo -n"; fi; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q gettext; \
	fi

bench: venv
	$(MANAGE) bench $(BENCH_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: venv
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run --noinput
