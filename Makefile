# Bimtek — the two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app bimtek
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install lint format serve gunicorn bench clean translations lock upgrade

# The lock: every package pinned with its hashes, for the app (requirements.txt, what a
# production server installs) and with the test extra (requirements-test.txt, what `make`
# builds its venv from). A new lock rebuilds the venv from nothing, so what runs is what the
# lock says, never what an older venv held. `make lock` after editing setup.cfg keeps every
# other pin; `make upgrade` moves every pin to the newest release and runs the suite.
LOCK := requirements-test.txt
APP_LOCK := requirements.txt
UV_VERSION := 0.13.9
COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--custom-compile-command "make lock"

$(BIN)/activate: $(LOCK)
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(BIN)/activate

install: $(BIN)/activate

instance/config.py:
	@mkdir -p instance
	@$(PYTHON) -c "import secrets; print('SECRET_KEY = ' + repr(secrets.token_hex(32)))" > $@
	@echo "# served over plain http on 127.0.0.1 by make run; remove behind HTTPS" >> $@
	@echo "SESSION_COOKIE_SECURE = False" >> $@
	@echo "REMEMBER_COOKIE_SECURE = False" >> $@
	@echo "Wrote $@ with a new random SECRET_KEY"

# a DEMO signing key (demo CA) so that certificates can be issued signed; see README
DEMO_SIGNER := instance/demo-signer/demo-signer.p12
$(DEMO_SIGNER): | install instance/config.py
	$(FLASK) create-demo-signer

run: install instance/config.py $(DEMO_SIGNER)
	@grep -q '^CERT_SIGNING_PKCS12' instance/config.py || \
		echo 'CERT_SIGNING_PKCS12 = "demo-signer/demo-signer.p12"  # DEMO key from make run' >> instance/config.py
	$(FLASK) init-db
	$(FLASK) seed-demo
	@echo ""
	@echo "  Bimtek is starting on http://$(HOST):$(PORT)"
	@echo "  Log in at http://$(HOST):$(PORT)/masuk with one of the staff logins printed above:"
	@echo "  the admin (every event, staff accounts), and a manager and a panitia for each demo"
	@echo "  batch (KUTIM24, KUTIM24B). One-time passwords are printed only when an account is"
	@echo "  first created; to get a new one: $(FLASK) reset-password EMAIL"
	@echo ""
	$(FLASK) run --host $(HOST) --port $(PORT)

gunicorn: install instance/config.py
	$(FLASK) init-db
	$(BIN)/gunicorn -c gunicorn.conf.py --bind $(HOST):$(PORT) wsgi:app

# The suite in two runs: everything that can share the machine on TEST_WORKERS processes
# (pytest-xdist; each worker has its own database), then the tests marked `serial` alone.
# Both runs always run; exit 5 (nothing selected, e.g. PYTEST_ARGS names one file) is not a
# failure of a run.
TEST_WORKERS ?= auto
test: install
	@status=0; \
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not serial" $(PYTEST_ARGS); \
	s=$$?; [ $$s -eq 0 ] || [ $$s -eq 5 ] || status=$$s; \
	$(BIN)/python -m pytest -p no:xdist -m serial $(PYTEST_ARGS); \
	s=$$?; [ $$s -eq 0 ] || [ $$s -eq 5 ] || status=$$s; \
	exit $$status

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-extract UI strings and update the English catalog; then translate the new entries
# in bimtek/translations/en/LC_MESSAGES/messages.po and run `make translations` again.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o bimtek/translations/messages.pot .
	$(BIN)/pybabel update -i bimtek/translations/messages.pot -d bimtek/translations -l en --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d bimtek/translations

bench: install
	$(BIN)/python bench/registration_burst.py

$(BIN)/uv: $(BIN)/activate
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"

lock: $(BIN)/uv
	$(COMPILE) $(UPGRADE) setup.cfg requirements-build.in --extra test -o $(LOCK)
	$(COMPILE) setup.cfg requirements-build.in -c $(LOCK) -o $(APP_LOCK)

upgrade:
	$(MAKE) lock UPGRADE=--upgrade
	$(MAKE) test

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
