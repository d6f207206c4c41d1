# Thin wrappers. `make book` and `make test` are all a fresh machine needs (python3, make, git).
PY      ?= python3
VENV    := .venv
BIN     := $(CURDIR)/$(VENV)/bin
STAMP   := $(VENV)/.installed
# nbgrader runs `alembic` from PATH: the venv's bin comes first for every recipe.
export PATH := $(BIN):$(PATH)
JOBS    ?= 2

.PHONY: help venv release book test test-fast lab lab-instructor screenshots audit benchmark bench-grade demo freeze clean

help:
	@echo "make book       build the student release and the online book into _build/html"
	@echo "make test       run the whole test suite (builds what it needs)"
	@echo "make lab        a student's JupyterLab on the student release (course/release)"
	@echo "make lab-instructor  JupyterLab on the repository, with formgrader and Create Assignment"
	@echo "make screenshots  retake the how-to page's picture of the Validate dialog"
	@echo "make release    student versions of every assignment into course/release"
	@echo "make audit      graded points per notebook; leaks into release and book"
	@echo "make benchmark  time a clean book build, a one-page rebuild and autograding"
	@echo "make demo       a synthetic class through every instructor command (course/demo)"
	@echo "make bench-grade  parallel sandboxed grading against serial nbgrader, 40 students"

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

test: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup $(PYTEST_ARGS)

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

freeze: $(STAMP)
	( sed -n '1,3p' requirements.txt; $(BIN)/python -m pip freeze --exclude-editable; echo "-e ." ) > requirements.new && mv requirements.new requirements.txt

clean:
	rm -rf _build course
