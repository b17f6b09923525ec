# The two commands a developer needs: `make run` and `make test`.
# Both create .venv and install the project on first use; nothing else is needed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Headless by default for tests and previews; `make run` uses a real window when there is a display.
HEADLESS := SDL_VIDEODRIVER=offscreen

.PHONY: run test test-fast test-ui smoke lint check preview bench clean install-service

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kiosk run --windowed --config config

# Tests run on two processes (pytest-xdist); set JOBS=1 for one, or JOBS=auto for every core.
JOBS ?= 2
PYTEST := $(HEADLESS) $(BIN)/python -m pytest -n $(JOBS)

# Every tier: unit (no Kivy, seconds), ui (the real app, headless), soak (a simulated day).
# The soak is named first so that it starts at once on a fresh process and window, while
# the ui tests share the other process; no process holds more than one app at a time.
test: $(STAMP)
	$(BIN)/ruff check .
	$(PYTEST) tests/unit
	$(PYTEST) -p no:hypothesispytest tests/soak tests/ui

# While working: the core, config, storage and words, with no window (under 30 s).
test-fast: $(STAMP)
	$(PYTEST) tests/unit

test-ui: $(STAMP)
	$(PYTEST) -p no:hypothesispytest tests/ui

# On a kiosk machine (deploy/install.sh): quick, small in memory, with one real start.
smoke: $(STAMP)
	$(HEADLESS) $(BIN)/python -m pytest -m "not fuzz" tests/unit
	$(HEADLESS) $(BIN)/python -m pytest -m smoke tests/ui

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(STAMP)
	$(BIN)/kiosk check --config config

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/bench_storage.py

preview: $(STAMP)
	$(HEADLESS) $(BIN)/kiosk preview --config config --out build/preview

# On the kiosk machine, as root: the service, its user, folders and boot settings.
# Options pass through, e.g. `sudo make install-service ARGS=--dry-run`.
install-service:
	bash deploy/install.sh $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
