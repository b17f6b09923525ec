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

# Every tier: unit (no Kivy, seconds), ui (the real app, headless), soak (a simulated day).
test: $(STAMP)
	$(BIN)/ruff check .
	$(HEADLESS) $(BIN)/python -m pytest tests/unit tests/ui tests/soak

# While working: the core, config, storage and words, with no window (under 30 s).
test-fast: $(STAMP)
	$(HEADLESS) $(BIN)/python -m pytest tests/unit

test-ui: $(STAMP)
	$(HEADLESS) $(BIN)/python -m pytest tests/ui

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
