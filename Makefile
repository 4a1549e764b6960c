# Một Cửa Counter — every target bootstraps what it needs (Python ≥ 3.12, .venv, libzbar0).
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test check bench demo bundle mutate clean

run: $(STAMP)  ## start the counter app (creates the data directory on first use)
	$(VENV)/bin/counter

test: $(STAMP)  ## run the whole test suite
	$(PY) -m pytest

check: $(STAMP)  ## ruff, mypy and the core/UI import boundary
	$(VENV)/bin/ruff check counter sync tests bench scripts
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

bench: $(STAMP)  ## print benchmark figures
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

mutate: $(STAMP)  ## mutation testing of the law and sync modules ([tool.mutmut]); long: run it before a release
	$(VENV)/bin/mutmut run; $(VENV)/bin/mutmut results

demo: $(STAMP)  ## fill the data directory with demo dossiers
	$(VENV)/bin/counter demo

bundle: $(STAMP)  ## offline install zips for Linux and Windows in dist/ (scripts/bundle.py)
	$(PY) scripts/bundle.py

$(STAMP): pyproject.toml scripts/bootstrap.sh
	bash scripts/bootstrap.sh $(VENV)
	touch $(STAMP)

clean:  ## remove the virtual environment
	rm -rf $(VENV)
