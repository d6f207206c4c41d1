# Thin wrappers. `make book` and `make test` are all a fresh machine needs (python3, make, git).
PY      ?= python3
VENV    := .venv
BIN     := $(CURDIR)/$(VENV)/bin
STAMP   := $(VENV)/.installed
# nbgrader runs `alembic` from PATH: the venv's bin comes first for every recipe.
export PATH := $(BIN):$(PATH)
JOBS    ?= 2

.PHONY: help venv release book test test-fast lab lab-instructor screenshots audit benchmark bench-grade demo freeze package clean browser-deps pdf student-branch

help:
	@echo "make book       build the student release and the online book into _build/html"
	@echo "make pdf        the whole book as one PDF, _build/pdf/book.pdf"
	@echo "make student-branch  commit the student release to the branch the launch buttons open"
	@echo "make test       run the whole test suite (builds what it needs)"
	@echo "make lab        a student's JupyterLab on the student release (course/release)"
	@echo "make lab-instructor  JupyterLab on the repository, with formgrader and Create Assignment"
	@echo "make screenshots  retake the how-to page's picture of the Validate dialog"
	@echo "make release    student versions of every assignment into course/release"
	@echo "make audit      graded points per notebook; leaks into release and book"
	@echo "make benchmark  time a clean book build, a one-page rebuild and autograding"
	@echo "make demo       a synthetic class through every instructor command (course/demo)"
	@echo "make bench-grade  parallel sandboxed grading against serial nbgrader, 40 students"
	@echo "make browser-deps chromium, puppeteer-core and axe-core for the browser tests (part of make test)"
	@echo "make package    the course as an IMS Common Cartridge: course/lms/course.imscc"

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

# The student release is remade only when a source notebook or the stub settings change,
# so a prose edit rebuilds one page, not every notebook.
RELEASED := course/release/.released
$(RELEASED): $(STAMP) $(wildcard notebooks/*/*.ipynb) autograde/nbgrader_config.py autograde/stubs.py
	$(BIN)/python -m autograde release
	touch $@

release: $(STAMP)
	$(BIN)/python -m autograde release
	touch $(RELEASED)

book: $(RELEASED)
	$(BIN)/jupyter-book build . -W --keep-going

# The whole book as one PDF (_build/pdf/book.pdf), printed by Debian's chromium (book/pdf.py).
pdf: $(RELEASED) browser-deps
	$(BIN)/python book/pdf.py

# The branch the launch buttons open: student notebooks and medcode only (book/student_branch.py).
student-branch: $(RELEASED)
	$(BIN)/python book/student_branch.py

test: $(STAMP) browser-deps
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup $(PYTEST_ARGS)

# The browser tests (tests/test_browser.py) drive Debian's chromium with puppeteer-core and
# axe-core from npm (no browser of their own is downloaded). As root, missing Debian packages
# are installed; npm packages come from tests/browser/package-lock.json.
BROWSER_NPM := tests/browser/node_modules/.package-lock.json
browser-deps: $(BROWSER_NPM)
$(BROWSER_NPM): tests/browser/package.json tests/browser/package-lock.json
	@missing="$$(command -v chromium >/dev/null || echo chromium) $$(command -v npm >/dev/null || echo nodejs npm)"; \
	if [ -n "$$(echo $$missing)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update && apt-get install -y $$missing; \
	  else echo "The browser tests need Debian's $$missing: apt-get install $$missing"; fi; \
	fi
	if command -v npm >/dev/null; then cd tests/browser && npm ci --no-audit --no-fund; fi

lab: $(RELEASED)
	$(BIN)/python -m autograde.lab student

lab-instructor: $(STAMP)
	$(BIN)/python -m autograde.lab instructor

# The how-to page's picture of the Validate dialog, retaken by the student-lab browser test.
screenshots: $(STAMP)
	UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/test_student_lab.py -k validate_shows

# The course team's audit tool sits beside the repository; a clone without it scans for leaks
# with autograde/leaks.py.
AUDIT := ../shared/tools/course_audit.py
audit: $(RELEASED)
ifneq ($(wildcard $(AUDIT)),)
	$(BIN)/python $(AUDIT) --release course/release $(if $(wildcard _build/html),--html _build/html)
else
	$(BIN)/python -m autograde.leaks course/release $(wildcard _build/html)
endif

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_pipeline.py

bench-grade: $(STAMP)
	$(BIN)/python benchmarks/bench_grade.py

demo: $(STAMP)
	$(BIN)/python -m autograde demo

# The LMS content package, from the student release (HUB=... HUB_REPO=... adds nbgitpuller links).
package: $(RELEASED)
	$(BIN)/python -m autograde package --cc -o course/lms/course.imscc \
	  $(if $(HUB),--hub $(HUB) --hub-repo $(HUB_REPO))

freeze: $(STAMP)
	( sed -n '1,3p' requirements.txt; $(BIN)/python -m pip freeze --exclude-editable; echo "-e ." ) > requirements.new && mv requirements.new requirements.txt

clean:
	rm -rf _build course
